// Package s3bucket serves the partners' buckets of the legacy ACE file
// exchange over the S3 REST API, on cosell's single HTTP port, so that stock
// S3 clients (the AWS SDKs, the AWS CLI, boto3) work against them unchanged;
// and it gives the AWS side (the exchange) a plain Go API to the same
// objects.
//
// A request goes through, in order:
//
//  1. addressing: virtual-host style when the Host's first label is a bucket
//     Config.Owner knows, path style otherwise (route.go);
//  2. the S3 flavour of SigV4 — header or presigned, hex, unsigned or
//     aws-chunked payloads (auth.Verifier.VerifyS3);
//  3. ownership (another account's bucket is AccessDenied) and the ACE
//     folder policy with its ACL rule (policy.go);
//  4. the body, decoded and checked against its signature, checksums and
//     the 5 MiB limit (handler.go, checksum.go), then rewritten for gofakes3
//     (rewrite.go);
//  5. the operation. gofakes3 (github.com/johannesboyne/gofakes3) speaks
//     the protocol for object and listing operations over our own Backend
//     (backend.go → store.go, SQLite); the operations it lacks or that the
//     policy must see per key are ours: object tagging, DeleteObjects and a
//     ListBuckets limited to the caller's buckets.
//
// gofakes3 fits as a protocol layer once its request is prepared for it:
// it checks no signatures, decodes only one of the aws-chunked modes, and
// stores every X-Amz-* request header as object metadata, so the handler
// gives it the decoded body and only the headers that describe the object.
// Multipart uploads and CopyObject are not offered (NotImplemented): every
// object fits one PutObject, and no ACE workflow copies objects.
package s3bucket
