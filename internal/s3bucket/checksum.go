package s3bucket

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
)

// checksums are the flexible checksums S3 checks on an upload, sent as a
// header or, with aws-chunked bodies, as a trailer (S3 user guide,
// "Checking object integrity"). Each is the base64 of the big-endian sum.
var checksums = map[string]struct {
	name string
	new  func() hash.Hash
}{
	"X-Amz-Checksum-Crc32":     {"CRC32", func() hash.Hash { return crc32.NewIEEE() }},
	"X-Amz-Checksum-Crc32c":    {"CRC32C", func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }},
	"X-Amz-Checksum-Crc64nvme": {"CRC64NVME", func() hash.Hash { return crc64.New(crc64NVME) }},
	"X-Amz-Checksum-Sha1":      {"SHA1", sha1.New},
	"X-Amz-Checksum-Sha256":    {"SHA256", sha256.New},
}

// crc64NVME is the NVMe CRC-64 polynomial, bit-reversed as hash/crc64 takes it.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checkIntegrity compares body with every checksum the request carries, in
// its headers or its aws-chunked trailers, and with Content-MD5.
func checkIntegrity(body []byte, headers, trailers http.Header) *s3Error {
	for _, h := range []http.Header{headers, trailers} {
		for header, algo := range checksums {
			sent := h.Get(header)
			if sent == "" {
				continue
			}
			sum := algo.new()
			sum.Write(body)
			if base64.StdEncoding.EncodeToString(sum.Sum(nil)) != sent {
				return badRequest("BadDigest", "The "+algo.name+" you specified did not match the calculated checksum.")
			}
		}
	}
	if _, sent := headers["Content-Md5"]; sent {
		want, err := base64.StdEncoding.DecodeString(headers.Get("Content-Md5"))
		if err != nil || len(want) != md5.Size {
			return errInvalidDigest
		}
		if got := md5.Sum(body); string(got[:]) != string(want) {
			return badRequest("BadDigest", "The Content-MD5 you specified did not match what we received.")
		}
	}
	return nil
}
