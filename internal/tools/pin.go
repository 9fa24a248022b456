//go:build tools

// Package tools pins module versions the project depends on before any code
// imports them, so `go mod tidy` keeps the versions DEPENDENCIES.md asks for.
package tools
