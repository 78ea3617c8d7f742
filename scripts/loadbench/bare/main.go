// Command bare is the yardstick for SIHub's load benchmark: a net/http
// server that answers every request with a fixed small page, showing what
// this machine serves when the application does no work at all.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18900", "listen address")
	flag.Parse()
	page := []byte("<!doctype html><title>bare</title><p>ok</p>\n")
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})))
}
