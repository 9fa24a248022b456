package ace

import (
	"path"
	"regexp"
	"strings"
	"time"
)

// MaxInboundSize is the largest inbound file ACE processes: 1 MB.
const MaxInboundSize = 1 << 20

// inboundName is `{name}_MMDDYYYY24HHMMSS.json` (User Guide §5.4): a non-empty partner name, an underscore and
// fourteen digits of timestamp.
var inboundName = regexp.MustCompile(`^(.+)_([0-9]{14})\.json$`)

// inboundStamp is the Go layout of MMDDYYYY24HHMMSS (the "24" is the 24-hour clock of HH, not a literal).
const inboundStamp = "01022006150405"

// CheckInboundName checks an inbound object's file name (the part after the folder). It returns "" when
// acceptable, else the error text for the partner. notJSON reports a name whose extension is not ".json"; those
// get an error file rather than a result file. The extension is compared exactly: AWS documents ".json" only, so
// "x_01312024235959.JSON" is not a JSON file name.
// The wording of the messages is cosell's: AWS does not publish it.
func CheckInboundName(fileName string) (problem string, notJSON bool) {
	if path.Ext(fileName) != ".json" {
		return "Invalid file extension: only .json files are processed", true
	}
	m := inboundName.FindStringSubmatch(fileName)
	if m == nil {
		return "Invalid file name: the file name must be {name}_MMDDYYYY24HHMMSS.json", false
	}
	if _, err := time.Parse(inboundStamp, m[2]); err != nil {
		return "Invalid file name: the timestamp " + m[2] + " is not a valid MMDDYYYY24HHMMSS date and time", false
	}
	return "", false
}

// ResultKey is where the result of inboundKey goes, e.g. "opportunity-inbound/x_01022024130000.json" ->
// "opportunity-inbound-processed-results/x_01022024130000_result.json".
func ResultKey(inboundKey string) string {
	return resultsFolder(inboundKey) + strings.TrimSuffix(path.Base(inboundKey), ".json") + "_result.json"
}

// ErrorKey is the ".error.json" file for a rejected non-JSON inbound file, in the same results folder:
// "lead-inbound/x.csv" -> "lead-inbound-processed-results/x.csv.error.json".
func ErrorKey(inboundKey string) string {
	return resultsFolder(inboundKey) + path.Base(inboundKey) + ".error.json"
}

func resultsFolder(inboundKey string) string {
	if strings.HasPrefix(inboundKey, LeadInbound) {
		return LeadResults
	}
	return OpportunityResults
}
