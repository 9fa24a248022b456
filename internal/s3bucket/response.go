package s3bucket

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
)

// response stamps every answer with this request's ids (gofakes3 sets its
// own counter as x-amz-request-id; ours is the one in our logs) and
// remembers the status for logging and the OnPut decision.
type response struct {
	http.ResponseWriter
	requestID string
	hostID    string
	status    int
}

func newResponse(w http.ResponseWriter) *response {
	var raw [24]byte
	rand.Read(raw[:])
	return &response{
		ResponseWriter: w,
		requestID:      strings.ToUpper(hex.EncodeToString(raw[:8])),
		hostID:         base64.StdEncoding.EncodeToString(raw[8:]),
	}
}

func (w *response) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	h := w.Header()
	h.Set("x-amz-request-id", w.requestID)
	h.Set("x-amz-id-2", w.hostID)
	h.Set("Server", "AmazonS3")
	w.ResponseWriter.WriteHeader(status)
}

func (w *response) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// finish sends the headers of an answer that wrote nothing (gofakes3's
// PutObject answers 200 by returning).
func (w *response) finish() {
	w.WriteHeader(http.StatusOK)
}

// succeeded reports a 2xx answer.
func (w *response) succeeded() bool {
	return w.status >= 200 && w.status < 300
}
