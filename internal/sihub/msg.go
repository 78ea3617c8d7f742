// Package sihub holds SIHub's domain types, their validation and the error
// kinds every layer speaks. It imports only the standard library.
package sihub

import "fmt"

// Lang is a user-interface language. SIHub speaks Vietnamese (the default)
// and English.
type Lang string

const (
	VI Lang = "vi"
	EN Lang = "en"
)

// ParseLang returns EN for anything that starts with "en" and VI otherwise.
func ParseLang(s string) Lang {
	if len(s) >= 2 && (s[:2] == "en" || s[:2] == "EN" || s[:2] == "En") {
		return EN
	}
	return VI
}

// Msg is a message written in both languages at the place it arises, so that
// a validation error reaches a Vietnamese supplier and an English-speaking
// buyer alike without a separate catalogue falling out of step.
type Msg struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// M builds a Msg from two format strings sharing the same arguments.
func M(vi, en string, args ...any) Msg {
	if len(args) == 0 {
		return Msg{VI: vi, EN: en}
	}
	return Msg{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}
}

// In returns the message in lang.
func (m Msg) In(lang Lang) string {
	if lang == EN && m.EN != "" {
		return m.EN
	}
	if m.VI == "" {
		return m.EN
	}
	return m.VI
}

// String returns the English text, for logs.
func (m Msg) String() string { return m.In(EN) }
