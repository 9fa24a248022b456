// Package smithy is the run-time form of a Smithy model: the shapes,
// constraints and operations the server needs to route, validate and encode
// requests. Generated packages (api/selling, api/account) build these values
// from the committed model; nothing here is specific to Partner Central.
package smithy

import "unicode/utf8"

// Kind is the Smithy type of a shape.
type Kind uint8

const (
	KindString Kind = iota + 1
	KindEnum
	KindIntEnum
	KindBoolean
	KindByte
	KindShort
	KindInteger
	KindLong
	KindFloat
	KindDouble
	KindBigInteger
	KindBigDecimal
	KindTimestamp
	KindBlob
	KindDocument
	KindStructure
	KindUnion
	KindList
	KindMap
)

// Shape is one named shape of the model. Aggregate shapes point at their
// members' target shapes, so a request can be walked from its input shape.
type Shape struct {
	ID   string // absolute shape id, e.g. "com.amazonaws.partnercentralselling#Opportunity"
	Name string // the part after '#'
	Kind Kind

	Members    []*Member // structure and union members, in model order
	ListMember *Member   // list: the element member
	MapKey     *Member   // map: key member
	MapValue   *Member   // map: value member

	EnumValues []string // enum: the wire values, in model order
	IntEnum    []int64  // intEnum: the allowed values

	Constraints            // traits set on the shape itself
	Sensitive       bool   // @sensitive: never log the value
	UniqueItems     bool   // @uniqueItems: list elements must be distinct
	TimestampFormat string // "date-time", "epoch-seconds", "http-date" or "" (protocol default)
	Error           *Error // set on error structures
	memberIndex     map[string]*Member
}

// Member is a member of an aggregate shape. Its Constraints are the traits on
// the member itself; the validator applies them in addition to the target's.
type Member struct {
	Name             string
	Target           *Shape
	Required         bool
	IdempotencyToken bool
	HasDefault       bool // @default: the member may be omitted even when required
	Constraints
}

// Constraints are the validation traits a shape or member may carry.
type Constraints struct {
	Pattern *Pattern // @pattern
	Length  *Bounds  // @length: runes for strings, elements for lists and maps, bytes for blobs
	Range   *Bounds  // @range: numeric value
}

// Bounds is an inclusive range; a nil end is unbounded.
type Bounds struct {
	Min *float64
	Max *float64
}

// Error describes an error structure (@error and @httpError).
type Error struct {
	Fault      string // "client" or "server"
	HTTPStatus int
}

// Operation is one operation of a service.
type Operation struct {
	Name       string
	Input      *Shape
	Output     *Shape
	Errors     []*Shape // operation errors followed by service-wide errors
	Idempotent bool     // @idempotent
	ReadOnly   bool     // @readonly
	HTTPCode   int      // @http code; 200 when the model says nothing
}

// Service is a whole API.
type Service struct {
	ID           string // e.g. "com.amazonaws.partnercentralselling#AWSPartnerCentralSelling"
	Name         string // the X-Amz-Target prefix, e.g. "AWSPartnerCentralSelling"
	Namespace    string // e.g. "com.amazonaws.partnercentralselling"
	Version      string
	SigningName  string // SigV4 service name, e.g. "partnercentral-selling"
	Protocol     Protocol
	Operations   map[string]*Operation
	ErrorsByName map[string]*Shape // every error structure, by shape name
}

// Protocol is the wire protocol a service speaks (its protocol trait).
type Protocol string

const (
	AWSJSON10 Protocol = "awsJson1_0" // aws.protocols#awsJson1_0
	RPCv2CBOR Protocol = "rpcv2Cbor"  // smithy.protocols#rpcv2Cbor
)

// Member returns the member of a structure or union by name, or nil.
func (s *Shape) Member(name string) *Member {
	if s.memberIndex == nil {
		return s.findMember(name)
	}
	return s.memberIndex[name]
}

func (s *Shape) findMember(name string) *Member {
	for _, m := range s.Members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// IndexMembers builds the name index used by Member. Generated code calls it
// once per aggregate shape after wiring members.
func (s *Shape) IndexMembers() {
	s.memberIndex = make(map[string]*Member, len(s.Members))
	for _, m := range s.Members {
		s.memberIndex[m.Name] = m
	}
}

// Ptr returns a pointer to v; generated code uses it for Bounds literals.
func Ptr(v float64) *float64 { return &v }

// FieldName is a member name as validation errors name it, lowerCamel:
// CountryCode -> countryCode.
func FieldName(member string) string {
	r, size := utf8.DecodeRuneInString(member)
	if r >= 'A' && r <= 'Z' {
		return string(r+'a'-'A') + member[size:]
	}
	return member
}
