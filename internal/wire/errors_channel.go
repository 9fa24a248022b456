package wire

import (
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
)

// channelNamespace is the Channel model's own namespace: no capture of the
// service's errors exists, so __type and x-amzn-ErrorType name it.
const channelNamespace = "com.amazonaws.partnercentralchannel"

// channelField is one entry of the Channel API's ValidationException
// fieldList; the model requires all three members.
type channelField struct {
	Name    string `json:"name"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func channelFieldList(fields []apierr.FieldError) []channelField {
	list := make([]channelField, len(fields))
	for i, f := range fields {
		list[i] = channelField{Name: f.FieldName, Code: f.Code, Message: f.Message}
	}
	return list
}

// addResourceMembers adds the resource id, type and quota code the domain
// named, under the members the style spells them (Channel: resourceId,
// resourceType, quotaCode), where the exception's shape has such a member.
func addResourceMembers(members map[string]any, shape *smithy.Shape, r apierr.Resource, idKey, typeKey, quotaKey string) {
	for name, v := range map[string]string{idKey: r.ID, typeKey: r.Type, quotaKey: r.QuotaCode} {
		if v != "" && shape != nil && shape.Member(name) != nil {
			members[name] = v
		}
	}
}
