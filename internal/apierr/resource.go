package apierr

// Resource is the resource an error is about, as the exceptions of the
// newer Partner Central APIs name it (the Channel API's ConflictException,
// ResourceNotFoundException and ServiceQuotaExceededException).
type Resource struct {
	ID   string
	Type string
	// QuotaCode names the quota a ServiceQuotaExceededException exceeded.
	QuotaCode string
}

// About sets the resource the error is about and returns e.
func (e *Error) About(resourceType, id string) *Error {
	e.Resource.Type, e.Resource.ID = resourceType, id
	return e
}

// WithQuotaCode sets the quota a ServiceQuotaExceededException names and
// returns e.
func (e *Error) WithQuotaCode(code string) *Error {
	e.Resource.QuotaCode = code
	return e
}
