// refreg: a tiny OCI registry with the native OCI 1.1 referrers API, used by
// ocigraph's integration tests. It is go-containerregistry's pkg/registry served
// as is (no wrappers), with blobs on disk under --dir.
//
// What this registry does and does not do (checked against
// github.com/google/go-containerregistry v0.22.1, pkg/registry, by reading the
// source and by probing it over HTTP):
//
//   - Referrers API: GET /v2/<name>/referrers/<digest> returns an OCI image index
//     (200, Content-Type application/vnd.oci.image.index.v1+json). An existing
//     repo with no referrers for the digest gives 200 with "manifests": []; an
//     unknown repo gives 404 NAME_UNKNOWN. Order of entries is random (map order).
//   - The descriptor's artifactType is taken from config.mediaType only; the
//     manifest's own top-level "artifactType" field is ignored (so an artifact
//     using the empty config reports application/vnd.oci.empty.v1+json).
//   - artifactType filter (?artifactType=): NOT implemented, the query is ignored
//     and no OCI-Filters-Applied header is sent, so clients must filter.
//   - OCI-Subject header on manifest PUT: NOT sent.
//   - Manifests live in memory only: a restart loses every manifest and tag,
//     while blobs under --dir survive.
//   - Manifest PUT validates nothing except that an index's child manifests
//     exist; it does not check that config/layer blobs exist.
//   - Manifest DELETE: supported (202); deleting by digest leaves tags that
//     pointed at it, deleting a tag leaves the digest.
//   - Blobs are stored globally, not per repository: a blob pushed to one repo
//     is visible (HEAD/GET 200) in every repo. Blob DELETE removes it everywhere.
//   - Blob mount (POST .../blobs/uploads/?mount=<d>&from=<repo>): NOT
//     implemented; the query is ignored and it answers 202 with a Location for
//     a new upload session (the spec's allowed fallback).
//   - Monolithic upload (POST ?digest=) and POST + PUT ?digest=: supported.
//   - Chunked upload: PATCH with Content-Range "<start>-<end>" (no "bytes="),
//     202 with Range "0-<last>". Start must equal bytes received so far, else 416.
//     A second PATCH without Content-Range is rejected with 400. Upload session
//     status (GET .../uploads/<id>) and cancel (DELETE) are NOT supported (400).
//     Location headers are relative paths.
//   - Tag listing: GET /v2/<name>/tags/list with n and last works, but there is
//     no Link header, and a "last" at or past the final tag is ignored (the
//     list starts over from the first tag) instead of giving an empty page, so a
//     client paging by "last" without Link must stop on a short page. A repo
//     with only untagged manifests answers "tags": null.
//   - A manifest PUT by a digest that does not match the body is accepted (201)
//     and stored under both digests.
//   - Blob HEAD/GET re-hash the whole file on disk each time (slow for big blobs).
//   - No authentication.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "listen address (host:port)")
	dir := flag.String("dir", "", "directory for blob storage (required)")
	quiet := flag.Bool("quiet", false, "do not log each request to stderr")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "refreg: --dir is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "refreg: %v\n", err)
		os.Exit(1)
	}

	logger := log.New(os.Stderr, "refreg ", log.LstdFlags|log.Lmicroseconds)
	if *quiet {
		logger = log.New(io.Discard, "", 0)
	}
	handler := registry.New(
		registry.WithReferrersSupport(true),
		registry.WithBlobHandler(registry.NewDiskBlobHandler(*dir)),
		registry.Logger(logger),
	)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "refreg: listen %s: %v\n", *addr, err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: handler}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		_ = srv.Close()
	}()

	fmt.Fprintf(os.Stderr, "refreg: listening on %s, blobs in %s\n", ln.Addr(), *dir)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(os.Stderr, "refreg: %v\n", err)
		os.Exit(1)
	}
}
