// ocischema: validates manifests and indexes with the image-spec's own validator
// (github.com/opencontainers/image-spec/schema), for ocigraph's tests.
//
// It reads a stream of JSON documents on stdin and answers one line per document on
// stdout, in order: "ok", or "invalid <reason>" (the reason on one line). A document
// with a "manifests" array is checked as an image index, anything else as an image
// manifest (an explicit "mediaType" of either wins). One process serves a whole test
// file: the tests keep it running and write documents to it as they go.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	v1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/opencontainers/image-spec/schema"
)

func validatorFor(doc json.RawMessage) schema.Validator {
	var probe struct {
		MediaType string          `json:"mediaType"`
		Manifests json.RawMessage `json:"manifests"`
	}
	_ = json.Unmarshal(doc, &probe)
	switch probe.MediaType {
	case v1.MediaTypeImageIndex:
		return schema.ValidatorMediaTypeImageIndex
	case v1.MediaTypeImageManifest:
		return schema.ValidatorMediaTypeManifest
	}
	if probe.Manifests != nil {
		return schema.ValidatorMediaTypeImageIndex
	}
	return schema.ValidatorMediaTypeManifest
}

func main() {
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	out := bufio.NewWriter(os.Stdout)
	for {
		var doc json.RawMessage
		if err := dec.Decode(&doc); err != nil {
			if err == io.EOF {
				break
			}
			fmt.Fprintf(out, "invalid not JSON: %s\n", oneLine(err.Error()))
			out.Flush()
			os.Exit(1)
		}
		if err := validatorFor(doc).Validate(bytes.NewReader(doc)); err != nil {
			fmt.Fprintf(out, "invalid %s\n", oneLine(err.Error()))
		} else {
			fmt.Fprintln(out, "ok")
		}
		out.Flush()
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
