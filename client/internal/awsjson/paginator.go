package awsjson

import (
	"context"
	"errors"
)

// Paginator walks the pages of a list operation, like the SDK's
// paginators: HasMorePages, then NextPage until it is false.
type Paginator[In, Out any] struct {
	params    In
	call      func(context.Context, *In) (*Out, error)
	setToken  func(*In, *string)
	nextToken func(*Out) *string
	token     *string
	started   bool
}

// NewPaginator starts at the page in's NextToken names (usually the
// first). in is copied: later changes to it do not reach the paginator.
func NewPaginator[In, Out any](in *In, call func(context.Context, *In) (*Out, error),
	getToken func(*In) *string, setToken func(*In, *string), nextToken func(*Out) *string) *Paginator[In, Out] {
	p := &Paginator[In, Out]{call: call, setToken: setToken, nextToken: nextToken}
	if in != nil {
		p.params = *in
	}
	p.token = getToken(&p.params)
	return p
}

// HasMorePages reports whether NextPage has a page to fetch.
func (p *Paginator[In, Out]) HasMorePages() bool {
	return !p.started || (p.token != nil && *p.token != "")
}

// NextPage fetches the next page. After an error the same page can be
// asked for again.
func (p *Paginator[In, Out]) NextPage(ctx context.Context) (*Out, error) {
	if !p.HasMorePages() {
		return nil, errors.New("no more pages")
	}
	params := p.params
	p.setToken(&params, p.token)
	out, err := p.call(ctx, &params)
	if err != nil {
		return nil, err
	}
	prev := p.token
	p.started = true
	p.token = p.nextToken(out)
	// A service that hands back the token it was given would loop forever.
	if prev != nil && p.token != nil && *prev == *p.token {
		p.token = nil
	}
	return out, nil
}
