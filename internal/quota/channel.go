package quota

// channelService is the Channel API's Smithy service name.
const channelService = "PartnerCentralChannel"

// channelClasses are the Channel API's documented rates (developer guide,
// "Channel quotas"; semantics-2026 §4.4): 3 requests per second for each
// write and 5 for each read, per account and per operation (the guide
// lists a rate for each operation), with no daily quota. Tagging has no
// documented rate and stays unlimited.
var channelClasses = perOperation(map[string]int{
	"CreateProgramManagementAccount": 3,
	"UpdateProgramManagementAccount": 3,
	"DeleteProgramManagementAccount": 3,
	"CreateRelationship":             3,
	"UpdateRelationship":             3,
	"DeleteRelationship":             3,
	"CreateChannelHandshake":         3,
	"AcceptChannelHandshake":         3,
	"RejectChannelHandshake":         3,
	"CancelChannelHandshake":         3,
	"ListProgramManagementAccounts":  5,
	"ListChannelHandshakes":          5,
	"GetRelationship":                5,
	"ListRelationships":              5,
})

// perOperation gives each operation a class of its own, named after it, so
// each has its own bucket.
func perOperation(rates map[string]int) map[string]*Class {
	classes := make(map[string]*Class, len(rates))
	for op, perSecond := range rates {
		classes[op] = &Class{Name: op, PerSecond: perSecond}
	}
	return classes
}
