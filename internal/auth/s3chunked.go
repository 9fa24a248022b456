package auth

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// aws-chunked framing (S3 API reference, "Transferring payload in multiple
// chunks" and "Including trailing headers"):
//
//	<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n   ... repeated
//	0[;chunk-signature=<sig>]\r\n                       the final chunk
//	<name>:<value>\r\n ...                              trailers (-TRAILER modes)
//	[x-amz-trailer-signature:<sig>\r\n]                 (signed -TRAILER mode)
//	\r\n
//
// Chunk n's signature signs the hash of its data and chunk n-1's signature,
// starting from the request's own (the seed), so chunks cannot be dropped,
// reordered or altered.

const (
	chunkAlgorithm   = "AWS4-HMAC-SHA256-PAYLOAD"
	trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"
	chunkSigPrefix   = "chunk-signature="
	trailerSigHeader = "x-amz-trailer-signature"
	emptySHA256      = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxChunkLine     = 4096 // a header or trailer line is far shorter; longer is garbage
	maxTrailers      = 16
)

// ReadBody reads the request body and returns the payload the client meant:
// aws-chunked bodies decoded (their chunk and trailer signatures checked in
// the signed modes), a declared hex SHA-256 compared. trailers holds the
// trailing headers of the -TRAILER modes (e.g. X-Amz-Checksum-Crc32), for
// the caller to check. A payload over max bytes is EntityTooLarge.
func (s *S3Request) ReadBody(body io.Reader, max int64) (payload []byte, trailers http.Header, err error) {
	switch s.PayloadMode {
	case StreamingSigned, StreamingSignedTrailer, StreamingUnsignedTrailer:
		if n, err := strconv.ParseInt(s.decodedLn, 10, 64); err == nil && n > max {
			return nil, nil, s3BadRequest(S3EntityTooLarge, "%s", msgS3TooLarge)
		}
		payload, trailers, err = s.decodeChunked(body, max)
		if err != nil {
			return nil, nil, err
		}
		if s.decodedLn != "" && s.decodedLn != strconv.Itoa(len(payload)) {
			return nil, nil, s3BadRequest(S3IncompleteBody, "The decoded body is %d bytes but x-amz-decoded-content-length says %s.", len(payload), s.decodedLn)
		}
		return payload, trailers, nil
	}
	payload, err = readAtMost(body, max)
	if err != nil {
		return nil, nil, err
	}
	if s.PayloadMode != UnsignedPayload && !strings.EqualFold(s.PayloadMode, hashHex(payload)) {
		return nil, nil, s3BadRequest(S3ContentSHA256Mismatch, "%s", msgS3ContentMismatch)
	}
	return payload, nil, nil
}

func readAtMost(body io.Reader, max int64) ([]byte, error) {
	payload, err := io.ReadAll(io.LimitReader(body, max+1))
	switch {
	case err != nil:
		return nil, s3BadRequest(S3IncompleteBody, "%s", msgS3Incomplete)
	case int64(len(payload)) > max:
		return nil, s3BadRequest(S3EntityTooLarge, "%s", msgS3TooLarge)
	}
	return payload, nil
}

// chunkReader walks one aws-chunked body.
type chunkReader struct {
	in     *bufio.Reader
	req    *S3Request
	signed bool
	prev   string // the last verified signature
}

func (s *S3Request) decodeChunked(body io.Reader, max int64) ([]byte, http.Header, error) {
	c := &chunkReader{
		in:     bufio.NewReaderSize(body, maxChunkLine),
		req:    s,
		signed: s.PayloadMode != StreamingUnsignedTrailer,
		prev:   s.seed,
	}
	var payload []byte
	for {
		size, sig, err := c.chunkHeader()
		if err != nil {
			return nil, nil, err
		}
		if size > max-int64(len(payload)) {
			return nil, nil, s3BadRequest(S3EntityTooLarge, "%s", msgS3TooLarge)
		}
		start := len(payload)
		payload = append(payload, make([]byte, size)...)
		if _, err := io.ReadFull(c.in, payload[start:]); err != nil {
			return nil, nil, s3BadRequest(S3IncompleteBody, "%s", msgS3Incomplete)
		}
		if c.signed {
			if err := c.verify(chunkAlgorithm, sig, emptySHA256+"\n"+hashHex(payload[start:])); err != nil {
				return nil, nil, err
			}
		}
		if size == 0 {
			break
		}
		if line, err := c.line(); err != nil || line != "" {
			return nil, nil, malformedChunk("chunk data is not followed by CRLF")
		}
	}
	trailers, err := c.trailers()
	if err != nil {
		return nil, nil, err
	}
	if len(trailers) > 0 && s.PayloadMode == StreamingSigned {
		return nil, nil, malformedChunk("trailing headers need a -TRAILER x-amz-content-sha256")
	}
	if _, err := c.in.ReadByte(); err != io.EOF {
		return nil, nil, malformedChunk("data after the end of the aws-chunked body")
	}
	return payload, trailers, nil
}

// chunkHeader reads "<hex size>[;chunk-signature=<sig>]".
func (c *chunkReader) chunkHeader() (size int64, sig string, err error) {
	line, err := c.line()
	if errors.Is(err, errEndOfBody) {
		return 0, "", s3BadRequest(S3IncompleteBody, "%s", msgS3Incomplete)
	}
	if err != nil {
		return 0, "", err
	}
	hexSize, ext, _ := strings.Cut(line, ";")
	size, perr := strconv.ParseInt(hexSize, 16, 64)
	if perr != nil || size < 0 || strings.HasPrefix(hexSize, "+") {
		return 0, "", malformedChunk("invalid chunk size")
	}
	if c.signed {
		var ok bool
		if sig, ok = strings.CutPrefix(ext, chunkSigPrefix); !ok {
			return 0, "", s3SignatureMismatch()
		}
	}
	return size, sig, nil
}

// trailers reads the lines after the final chunk up to the empty line (or
// the end of the body, which some clients reach without one).
func (c *chunkReader) trailers() (http.Header, error) {
	trailers := http.Header{}
	var canonical strings.Builder
	sig := ""
	for n := 0; ; n++ {
		line, err := c.line()
		if errors.Is(err, errEndOfBody) || (err == nil && line == "") {
			break
		}
		if err != nil {
			return nil, err
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || n >= maxTrailers || sig != "" {
			return nil, malformedChunk("invalid trailing header")
		}
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if name == trailerSigHeader {
			sig = value
			continue
		}
		trailers.Add(textproto.CanonicalMIMEHeaderKey(name), value)
		canonical.WriteString(name + ":" + value + "\n")
	}
	if c.req.PayloadMode == StreamingSignedTrailer {
		if err := c.verify(trailerAlgorithm, sig, hashHex([]byte(canonical.String()))); err != nil {
			return nil, err
		}
	}
	return trailers, nil
}

// verify checks one link of the signature chain.
func (c *chunkReader) verify(alg, sent, tail string) error {
	r := c.req
	want := signWithKey(r.key, alg+"\n"+r.amzDate+"\n"+r.scope.String()+"\n"+c.prev+"\n"+tail)
	if subtle.ConstantTimeCompare([]byte(want), []byte(sent)) != 1 {
		return s3SignatureMismatch()
	}
	c.prev = want
	return nil
}

var errEndOfBody = errors.New("end of body")

// line reads one CRLF-terminated line without its CRLF. errEndOfBody means
// the body ended cleanly before the line started.
func (c *chunkReader) line() (string, error) {
	raw, err := c.in.ReadSlice('\n')
	switch {
	case err == io.EOF && len(raw) == 0:
		return "", errEndOfBody
	case errors.Is(err, bufio.ErrBufferFull):
		return "", malformedChunk("line too long")
	case err != nil:
		return "", s3BadRequest(S3IncompleteBody, "%s", msgS3Incomplete)
	}
	line, ok := bytes.CutSuffix(raw, []byte("\r\n"))
	if !ok {
		return "", malformedChunk("line not terminated by CRLF")
	}
	return string(line), nil
}

func malformedChunk(why string) *Error {
	return s3BadRequest(S3InvalidRequest, "Malformed aws-chunked body: %s.", why)
}
