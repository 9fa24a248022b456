package sqsqueue

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// handle is what a receipt handle names: one receive of one message of
// one account's queue. It is opaque to clients, as SQS's are.
type handle struct {
	Account string
	Seq     int64
	Receive int
}

func (h handle) String() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d:%d", h.Account, h.Seq, h.Receive))
}

// parseHandle reads a receipt handle given to account's queue; a handle
// of another queue is as invalid as a malformed one.
func parseHandle(s, account string) (handle, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return handle{}, errInvalidHandle
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != account {
		return handle{}, errInvalidHandle
	}
	seq, errSeq := strconv.ParseInt(parts[1], 10, 64)
	receive, errReceive := strconv.Atoi(parts[2])
	if errSeq != nil || errReceive != nil || seq <= 0 || receive <= 0 {
		return handle{}, errInvalidHandle
	}
	return handle{Account: account, Seq: seq, Receive: receive}, nil
}
