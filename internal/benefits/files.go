package benefits

import (
	"net/url"
	"path"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
)

// File processing statuses (the model's FileStatus is a free string; the
// developer guide names these).
const (
	FilePending   = "PENDING"
	FileSucceeded = "SUCCEEDED"
	FileFailed    = "FAILED"
)

// FileScanDelay is how long a file stays PENDING before AWS's processing
// finishes by itself, by the server clock. AWS processes attached files
// asynchronously and documents no duration; a test that polls
// GetBenefitApplication for the outcome, as it would against AWS, sees it
// change after this long, and AWS's side (ProcessFile) can decide sooner
// or fail the file instead.
const FileScanDelay = 10 * time.Second

// fileRecord is an attached file and AWS's processing of it.
type fileRecord struct {
	URI             string     `json:"uri"`
	BusinessUseCase *string    `json:"businessUseCase,omitempty"`
	CreatedBy       string     `json:"createdBy"`
	CreatedAt       time.Time  `json:"createdAt"`
	Status          string     `json:"status,omitempty"` // "" until AWS's side decides
	StatusReason    *string    `json:"statusReason,omitempty"`
	DecidedAt       *time.Time `json:"decidedAt,omitempty"`
}

// status is the file's processing status at now.
func (f *fileRecord) status(now time.Time) string {
	switch {
	case f.Status != "":
		return f.Status
	case !now.Before(f.CreatedAt.Add(FileScanDelay)):
		return FileSucceeded
	}
	return FilePending
}

func (f *fileRecord) detail(now time.Time) api.FileDetail {
	name := fileName(f.URI)
	d := api.FileDetail{FileURI: f.URI, BusinessUseCase: f.BusinessUseCase, FileStatus: ptr(f.status(now)), FileStatusReason: f.StatusReason,
		CreatedBy: &f.CreatedBy, CreatedAt: ptr(f.CreatedAt)}
	if name != "" {
		d.FileName = &name
	}
	if t := fileTypeOf(name); t != "" {
		d.FileType = &t
	}
	return d
}

// replaceFiles is the application's file list after a full replace:
// files it already had (by URI) keep their processing, new ones start.
func (a *applicationRecord) replaceFiles(in []api.FileInput, now time.Time) []fileRecord {
	out := make([]fileRecord, 0, len(in))
	for _, f := range in {
		rec := fileRecord{URI: f.FileURI, BusinessUseCase: f.BusinessUseCase, CreatedBy: a.Owner, CreatedAt: now}
		for _, old := range a.Files {
			if old.URI == f.FileURI {
				rec = old
				rec.BusinessUseCase = f.BusinessUseCase
			}
		}
		out = append(out, rec)
	}
	return out
}

// fileName is the last path segment of a file URI.
func fileName(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	name, _ := url.PathUnescape(path.Base(u.Path))
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// fileTypes maps extensions to the model's FileType values.
var fileTypes = map[string]api.FileType{
	".doc":  api.FileTypeApplicationMsword,
	".docx": api.FileTypeApplicationVndOpenxmlformatsOfficedocumentWordprocessingmlDocument,
	".xlsx": api.FileTypeApplicationVndOpenxmlformatsOfficedocumentSpreadsheetmlSheet,
	".pptx": api.FileTypeApplicationVndOpenxmlformatsOfficedocumentPresentationmlPresentation,
	".pdf":  api.FileTypeApplicationPdf,
	".png":  api.FileTypeImagePng,
	".jpg":  api.FileTypeImageJpeg,
	".jpeg": api.FileTypeImageJpeg,
	".svg":  api.FileTypeImageSvgXml,
	".csv":  api.FileTypeTextCsv,
}

func fileTypeOf(name string) api.FileType {
	return fileTypes[strings.ToLower(path.Ext(name))]
}
