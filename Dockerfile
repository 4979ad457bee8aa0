# Container image of the source-woocommerce Airbyte connector.
#
#   stage "build":   Debian 12 with the -dev packages; builds Release (tests off) and strips.
#   final stage:     debian:bookworm-slim + the shared libraries the binaries link against,
#                    ca-certificates, a non-root user, the connector as entrypoint.
#
# The image also carries the demo store (/usr/local/bin/woo-demo-store, a local WooCommerce
# emulator, about 1 MB): scripts/container-test starts it inside the image and runs check/read
# against it, so the image that ships is the image that is tested. A separate "demo" target stage
# was not chosen: builders without --target (container-build.sh, most CI actions) build the last
# stage only, and a second image would double the build/test matrix for a ~1 MB saving.
#
# Build:  docker build -t ghcr.io/source-woocommerce/source-woocommerce:0.1.0 .
#   or, without a Docker daemon:  ../shared/tools/container-build.sh .  (see scripts/container-test)
# The version below must equal project(... VERSION x.y.z) in CMakeLists.txt; the build stops if not.

ARG VERSION=0.1.0

FROM debian:bookworm AS build
ARG VERSION
# Parallel compile jobs; raise it on a bigger machine: --build-arg JOBS=8
ARG JOBS=2
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake make g++ pkg-config binutils \
      libboost-json1.81-dev libboost-system1.81-dev libcpp-httplib-dev libyaml-cpp-dev \
      libssl-dev zlib1g-dev libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake_version=$(sed -n 's/^project([^)]*VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt) \
 && if [ "$cmake_version" != "$VERSION" ]; then \
      echo "Dockerfile VERSION=$VERSION but CMakeLists.txt says '$cmake_version'" >&2; exit 1; fi \
 && cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DWCC_BUILD_TESTS=OFF \
 && cmake --build /build -j"$JOBS" --target source-woocommerce woo-demo-store \
 && mkdir -p /out \
 && strip --strip-unneeded -o /out/source-woocommerce /build/src/source-woocommerce \
 && strip --strip-unneeded -o /out/woo-demo-store /build/src/demo_store/woo-demo-store

FROM debian:bookworm-slim
ARG VERSION
# Runtime libraries only (found with ldd + dpkg -S on the built binaries): Boost.JSON, cpp-httplib
# (pulls libssl3, zlib1g, libbrotli1), yaml-cpp, SQLite (webhook journal); libstdc++6/libgcc-s1/libc6
# are already in the base. ca-certificates for HTTPS to real stores; it pulls openssl, which owns
# /usr/lib/ssl/cert.pem and /usr/lib/ssl/certs, OpenSSL's default CA locations.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libboost-json1.81.0 libcpp-httplib0.11 libyaml-cpp0.7 libssl3 zlib1g \
      libsqlite3-0 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old \
      /var/log/apt /var/log/dpkg.log /usr/share/doc/* /usr/share/man/* \
 && useradd --uid 1000 --user-group --create-home --shell /usr/sbin/nologin airbyte
COPY --from=build /out/source-woocommerce /out/woo-demo-store /usr/local/bin/
# Fail the build if a shared library is missing, or if the binary reports another version.
RUN for b in /usr/local/bin/source-woocommerce /usr/local/bin/woo-demo-store; do \
      if ldd "$b" | grep 'not found'; then echo "missing shared library for $b" >&2; exit 1; fi; \
    done \
 && v=$(/usr/local/bin/source-woocommerce --version 2>/dev/null || true) \
 && case "$v" in ''|*"$VERSION"*) ;; *) echo "binary version '$v' != $VERSION" >&2; exit 1;; esac

LABEL io.airbyte.name="ghcr.io/source-woocommerce/source-woocommerce" \
      io.airbyte.version="${VERSION}" \
      org.opencontainers.image.title="source-woocommerce" \
      org.opencontainers.image.description="Airbyte source connector for WooCommerce (C++)" \
      org.opencontainers.image.source="https://github.com/source-woocommerce/source-woocommerce" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
ENV AIRBYTE_ENTRYPOINT="/usr/local/bin/source-woocommerce"
USER 1000:1000
WORKDIR /home/airbyte
ENTRYPOINT ["/usr/local/bin/source-woocommerce"]
