package sihub

import (
	"errors"
	"strings"
)

// Code is the kind of an error; the web layer maps it to an HTTP status and
// the JSON API returns it as error.code.
type Code string

const (
	ErrInvalid      Code = "invalid"      // 400/422: the input is wrong; Fields says where
	ErrNotFound     Code = "not_found"    // 404
	ErrConflict     Code = "conflict"     // 409: e.g. a tax code already taken
	ErrUnauthorized Code = "unauthorized" // 401
	ErrForbidden    Code = "forbidden"    // 403
	ErrTooLarge     Code = "too_large"    // 413
	ErrUnsupported  Code = "unsupported"  // 415: a file type or encoding SIHub does not read
	ErrInternal     Code = "internal"     // 500
	ErrUnavailable  Code = "unavailable"  // 503
	ErrRateLimited  Code = "rate_limited" // 429
	ErrPrecondition Code = "precondition" // 412: stale edit
)

// FieldError is one problem with one input field.
type FieldError struct {
	Field string `json:"field"`
	Msg   Msg    `json:"message"`
}

// Error is SIHub's error type: a code, a bilingual message and, for
// validation errors, the fields at fault.
type Error struct {
	Code   Code
	Msg    Msg
	Fields []FieldError
	Err    error // the underlying cause, never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Msg.EN != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg.EN)
	}
	for _, f := range e.Fields {
		b.WriteString("; ")
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Msg.EN)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a bilingual message.
func Errorf(code Code, vi, en string, args ...any) *Error {
	return &Error{Code: code, Msg: M(vi, en, args...)}
}

// ErrorCode returns the code of err, ErrInternal for errors that are not
// SIHub errors and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ErrInternal
}

// ErrorMsg returns err's user-facing message; internal errors get a generic
// one so that no SQL or file path leaks to a user.
func ErrorMsg(err error) Msg {
	var e *Error
	if errors.As(err, &e) && e.Code != ErrInternal {
		return e.Msg
	}
	return M("Đã xảy ra lỗi nội bộ. Vui lòng thử lại sau.", "An internal error occurred. Please try again later.")
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records a problem with field.
func (p *Problems) Add(field string, m Msg) { *p = append(*p, FieldError{Field: field, Msg: m}) }

// Err returns nil when there are no problems and an ErrInvalid *Error otherwise.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{
		Code:   ErrInvalid,
		Msg:    M("Dữ liệu chưa hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", "Some fields are not valid; please check the marked fields."),
		Fields: p,
	}
}

// For returns the first problem reported for field.
func (p Problems) For(field string) (Msg, bool) {
	for _, f := range p {
		if f.Field == field {
			return f.Msg, true
		}
	}
	return Msg{}, false
}

// FieldsOf returns the field errors carried by err, if any.
func FieldsOf(err error) Problems {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
