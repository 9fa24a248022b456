package main

import (
	"flag"
	"net/http"
	"net/url"
)

// The Channel API's AWS side: `cosell aws channel show|accept|reject|expire
// --handshake ID`, for handshakes whose receiver (an end customer's
// management account) is not one of the server's accounts.

// channelHandshakeFlags builds a request on one handshake; action "" reads it.
func channelHandshakeFlags(action string) func(fs *flag.FlagSet) func() (string, string, any, error) {
	return func(fs *flag.FlagSet) func() (string, string, any, error) {
		catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
		id := fs.String("handshake", "", "the channel handshake id (ch-...) or ARN")
		return func() (string, string, any, error) {
			if err := required(map[string]string{"handshake": *id}); err != nil {
				return "", "", nil, err
			}
			path := "/_cosell/aws/channel/handshakes/" + url.PathEscape(*catalog) + "/" + url.PathEscape(*id)
			if action == "" {
				return http.MethodGet, path, nil, nil
			}
			return http.MethodPost, path + "/" + action, nil, nil
		}
	}
}
