package wire

import (
	"errors"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/cborjson"
	"github.com/cosell/cosell/internal/smithy"
)

// cborDocument decodes a CBOR request body into the JSON document of the
// operation's input, which validation, decoding into the generated types
// and handlers share with awsJson. An empty body is an input with no
// member set; a body that is not CBOR or not of the input's types is a
// SerializationException.
func cborDocument(op *smithy.Operation, body []byte) ([]byte, error) {
	input := op.Input
	if input == nil {
		input = &smithy.Shape{Kind: smithy.KindStructure} // Unit: any map, no members
	}
	doc, err := cborjson.Decode(input, body, cborjson.ModelTimestamps)
	var bad *cborjson.Error
	if errors.As(err, &bad) {
		return nil, apierr.Serialization("%s", bad.Message)
	}
	return doc, err
}
