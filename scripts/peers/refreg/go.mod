module github.com/ocigraph/ocigraph/scripts/peers/refreg

go 1.25.0

require github.com/google/go-containerregistry v0.22.1
