package sqsqueue

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The queue's fixed settings: a standard queue as the console creates it.
const (
	defaultVisibility = 30 * time.Second
	maxVisibility     = 12 * time.Hour
	maxWait           = 20 * time.Second
	maxBatch          = 10
)

// The operations' input and output shapes carry SQS's member names.

func (h *Handler) getQueueURL(c *call) (any, *apiError) {
	var in struct {
		QueueName              string
		QueueOwnerAWSAccountId string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.QueueName == "" {
		return nil, missingParameter("QueueName")
	}
	if in.QueueName != QueueName || (in.QueueOwnerAWSAccountId != "" && in.QueueOwnerAWSAccountId != c.account) {
		return nil, queueDoesNotExist()
	}
	return map[string]string{"QueueUrl": c.queueURL()}, nil
}

func (h *Handler) listQueues(c *call) (any, *apiError) {
	var in struct {
		QueueNamePrefix string
		MaxResults      *int
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 1000) {
		return nil, invalidParameter("Value %d for parameter MaxResults is invalid. Reason: Must be between 1 and 1000, if provided.", *in.MaxResults)
	}
	if !strings.HasPrefix(QueueName, in.QueueNamePrefix) {
		return struct{}{}, nil
	}
	return map[string][]string{"QueueUrls": {c.queueURL()}}, nil
}

// message is a received message on the wire.
type message struct {
	MessageId     string
	ReceiptHandle string
	MD5OfBody     string
	Body          string
	Attributes    map[string]string `json:",omitempty"`
}

func (h *Handler) receiveMessage(c *call) (any, *apiError) {
	var in struct {
		QueueUrl                    string
		AttributeNames              []string
		MessageSystemAttributeNames []string
		MaxNumberOfMessages         *int
		VisibilityTimeout           *int
		WaitTimeSeconds             *int
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := c.checkQueue(in.QueueUrl); err != nil {
		return nil, err
	}
	limit, err := intParam("MaxNumberOfMessages", in.MaxNumberOfMessages, 1, 1, maxBatch, "Must be between 1 and 10, if provided.")
	if err != nil {
		return nil, err
	}
	visibility, err := seconds("VisibilityTimeout", in.VisibilityTimeout, defaultVisibility, maxVisibility)
	if err != nil {
		return nil, err
	}
	wait, err := seconds("WaitTimeSeconds", in.WaitTimeSeconds, 0, maxWait)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		changed := h.changed() // before the read, so an append after it still wakes us
		got, qerr := h.queues.Receive(c.ctx, c.account, limit, visibility)
		if qerr != nil {
			return nil, queueError(qerr, "")
		}
		if len(got) > 0 {
			return map[string][]message{"Messages": wireMessages(got, append(in.AttributeNames, in.MessageSystemAttributeNames...))}, nil
		}
		left := time.Until(deadline)
		if left <= 0 || !h.wait(c.ctx, changed, min(left, pollEvery)) {
			return struct{}{}, nil
		}
	}
}

// wireMessages shapes received messages, with the system attributes asked
// for by name or by "All".
func wireMessages(got []Message, names []string) []message {
	out := make([]message, len(got))
	all := slices.Contains(names, "All")
	for i, m := range got {
		sum := md5.Sum(m.Event.Body)
		attrs := map[string]string{
			"ApproximateReceiveCount":          strconv.Itoa(m.Receives),
			"SentTimestamp":                    strconv.FormatInt(m.Event.Time.UnixMilli(), 10),
			"ApproximateFirstReceiveTimestamp": strconv.FormatInt(m.FirstReceiveMs, 10),
		}
		for name := range attrs {
			if !all && !slices.Contains(names, name) {
				delete(attrs, name)
			}
		}
		if len(attrs) == 0 {
			attrs = nil
		}
		out[i] = message{MessageId: m.Event.ID, ReceiptHandle: m.ReceiptHandle, MD5OfBody: hex.EncodeToString(sum[:]), Body: string(m.Event.Body), Attributes: attrs}
	}
	return out
}

func (h *Handler) deleteMessage(c *call) (any, *apiError) {
	var in struct{ QueueUrl, ReceiptHandle string }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := c.checkQueue(in.QueueUrl); err != nil {
		return nil, err
	}
	if in.ReceiptHandle == "" {
		return nil, missingParameter("ReceiptHandle")
	}
	if err := h.queues.Delete(c.ctx, c.account, in.ReceiptHandle); err != nil {
		return nil, queueError(err, in.ReceiptHandle)
	}
	return struct{}{}, nil
}

// batchEntryID is what SQS allows as a batch entry's Id.
var batchEntryID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// batchFailure is a batch entry that failed.
type batchFailure struct {
	Id          string
	SenderFault bool
	Code        string
	Message     string
}

func (h *Handler) deleteMessageBatch(c *call) (any, *apiError) {
	var in struct {
		QueueUrl string
		Entries  []struct{ Id, ReceiptHandle string }
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := c.checkQueue(in.QueueUrl); err != nil {
		return nil, err
	}
	switch {
	case len(in.Entries) == 0:
		return nil, batchError("EmptyBatchRequest", "There should be at least one DeleteMessageBatchRequestEntry in the request.")
	case len(in.Entries) > maxBatch:
		return nil, batchError("TooManyEntriesInBatchRequest", "Maximum number of entries per request are %d. You have sent %d.", maxBatch, len(in.Entries))
	}
	seen := map[string]bool{}
	for _, e := range in.Entries {
		if !batchEntryID.MatchString(e.Id) {
			return nil, batchError("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		if seen[e.Id] {
			return nil, batchError("BatchEntryIdsNotDistinct", "Id %s repeated.", e.Id)
		}
		seen[e.Id] = true
	}
	type success struct{ Id string }
	out := struct {
		Successful []success
		Failed     []batchFailure
	}{Successful: []success{}, Failed: []batchFailure{}}
	for _, e := range in.Entries {
		if err := h.queues.Delete(c.ctx, c.account, e.ReceiptHandle); err != nil {
			m := queueError(err, e.ReceiptHandle)
			out.Failed = append(out.Failed, batchFailure{Id: e.Id, SenderFault: !m.Server, Code: m.Type, Message: m.Message})
			continue
		}
		out.Successful = append(out.Successful, success{Id: e.Id})
	}
	return out, nil
}

func (h *Handler) changeMessageVisibility(c *call) (any, *apiError) {
	var in struct {
		QueueUrl, ReceiptHandle string
		VisibilityTimeout       *int
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := c.checkQueue(in.QueueUrl); err != nil {
		return nil, err
	}
	if in.ReceiptHandle == "" {
		return nil, missingParameter("ReceiptHandle")
	}
	if in.VisibilityTimeout == nil {
		return nil, missingParameter("VisibilityTimeout")
	}
	timeout, err := seconds("VisibilityTimeout", in.VisibilityTimeout, 0, maxVisibility)
	if err != nil {
		return nil, err
	}
	if err := h.queues.ChangeVisibility(c.ctx, c.account, in.ReceiptHandle, timeout); err != nil {
		return nil, queueError(err, in.ReceiptHandle)
	}
	return struct{}{}, nil
}

// absentAttributes are SQS queue attributes this queue has no value for
// (no policy, no encryption key, not FIFO): asked for, they are left out.
var absentAttributes = []string{"Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
	"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit", "CreatedTimestamp", "LastModifiedTimestamp"}

func (h *Handler) getQueueAttributes(c *call) (any, *apiError) {
	var in struct {
		QueueUrl       string
		AttributeNames []string
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := c.checkQueue(in.QueueUrl); err != nil {
		return nil, err
	}
	visible, inFlight, err := h.queues.Counts(c.ctx, c.account)
	if err != nil {
		return nil, queueError(err, "")
	}
	known := map[string]string{
		"ApproximateNumberOfMessages":           strconv.Itoa(visible),
		"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(inFlight),
		"ApproximateNumberOfMessagesDelayed":    "0",
		"DelaySeconds":                          "0",
		"MaximumMessageSize":                    "262144",
		"MessageRetentionPeriod":                "345600",
		"ReceiveMessageWaitTimeSeconds":         "0",
		"VisibilityTimeout":                     strconv.Itoa(int(defaultVisibility.Seconds())),
		"SqsManagedSseEnabled":                  "false",
		"QueueArn":                              "arn:aws:sqs:" + h.cfg.Region + ":" + c.account + ":" + QueueName,
	}
	attrs := map[string]string{}
	for _, name := range in.AttributeNames {
		switch v, ok := known[name]; {
		case name == "All":
			attrs = known
		case ok:
			attrs[name] = v
		case !slices.Contains(absentAttributes, name):
			return nil, senderError("InvalidAttributeName", "", "Unknown Attribute %s.", name)
		}
	}
	if len(attrs) == 0 {
		return struct{}{}, nil
	}
	return map[string]map[string]string{"Attributes": attrs}, nil
}

// intParam reads an optional integer parameter within [lo, hi].
func intParam(name string, v *int, def, lo, hi int, reason string) (int, *apiError) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, invalidParameter("Value %d for parameter %s is invalid. Reason: %s", *v, name, reason)
	}
	return *v, nil
}

// seconds reads an optional duration parameter in whole seconds.
func seconds(name string, v *int, def, hi time.Duration) (time.Duration, *apiError) {
	n, err := intParam(name, v, int(def.Seconds()), 0, int(hi.Seconds()), "Must be >= 0 and <= "+strconv.Itoa(int(hi.Seconds()))+", if provided.")
	return time.Duration(n) * time.Second, err
}
