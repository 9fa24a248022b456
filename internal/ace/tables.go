package ace

import (
	"bytes"
	"embed"
	"encoding/csv"
	"strings"
)

// data holds AWS's reference tables as published (ace-s3/), plus Countries.csv: the ACE country names with their
// ISO 3166-1 codes, which the API's CountryCode takes.
//
//go:embed data/*.csv
var data embed.FS

// readTable is a CSV of data/ without its header; AWS's files start with a byte order mark and some cells span
// lines.
func readTable(name string) (header []string, rows [][]string) {
	body, err := data.ReadFile("data/" + name)
	if err != nil {
		panic("ace: embedded table missing: " + name) // a build defect, not bad input
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	all, err := r.ReadAll()
	if err != nil || len(all) == 0 {
		panic("ace: embedded table unreadable: " + name)
	}
	for i := range all[0] {
		all[0][i] = strings.TrimSpace(all[0][i])
	}
	return all[0], all[1:]
}

// cell is row[i] trimmed, "" past the end of a short row.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// columns reads a table whose columns are lists of values (the picklist files): header -> its non-empty cells.
func columns(name string) map[string][]string {
	header, rows := readTable(name)
	out := make(map[string][]string, len(header))
	for i, h := range header {
		for _, row := range rows {
			if v := cell(row, i); v != "" {
				out[h] = append(out[h], v)
			}
		}
	}
	return out
}
