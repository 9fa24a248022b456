package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"strconv"

	"github.com/cosell/cosell/internal/console"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/sqsqueue"
)

// readyAccount is one account in the --ready-json line.
type readyAccount struct {
	AccountID       string `json:"accountId"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	CompanyName     string `json:"companyName"`
	SQSQueueURL     string `json:"sqsQueueUrl"`
}

// readyBucket is one partner's ACE bucket in the --ready-json line.
type readyBucket struct {
	AccountID string `json:"accountId"`
	Catalog   string `json:"catalog"`
	Bucket    string `json:"bucket"`
}

// ready is the line `cosell serve --ready-json` prints once it listens:
// everything a test harness in another language needs, in one JSON
// object, so it never parses the human banner.
type ready struct {
	Endpoint   string         `json:"endpoint"` // every API: Selling, Account, SQS, S3, STS, admin
	Host       string         `json:"host"`
	Port       int            `json:"port"`
	Region     string         `json:"region"`
	Accounts   []readyAccount `json:"accounts"`
	AdminToken string         `json:"adminToken"`
	AdminURL   string         `json:"adminUrl"`
	ConsoleURL string         `json:"consoleUrl"` // the web console; sign in with AdminToken
	ACEBuckets []readyBucket  `json:"aceBuckets"`
}

// newAdminToken is the admin token of a --ready-json start that named
// none: a harness gets the admin API without choosing a secret.
func newAdminToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

func printReady(w io.Writer, srv *server.Server, adminToken string) error {
	u, err := url.Parse(srv.URL())
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return err
	}
	r := ready{Endpoint: srv.URL(), Host: u.Hostname(), Port: port, Region: srv.Region(), AdminToken: adminToken, AdminURL: srv.URL() + "/_cosell/", ConsoleURL: srv.URL() + console.Prefix, Accounts: []readyAccount{}, ACEBuckets: []readyBucket{}}
	for _, a := range srv.Accounts() {
		r.Accounts = append(r.Accounts, readyAccount{AccountID: a.AccountID, AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, CompanyName: a.CompanyName,
			SQSQueueURL: srv.URL() + "/" + a.AccountID + "/" + sqsqueue.QueueName})
	}
	for _, b := range srv.ACEBuckets() {
		r.ACEBuckets = append(r.ACEBuckets, readyBucket{AccountID: b.Account, Catalog: b.Catalog, Bucket: b.Name})
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(line, '\n'))
	return err
}
