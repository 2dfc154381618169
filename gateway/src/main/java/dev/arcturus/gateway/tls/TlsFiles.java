package dev.arcturus.gateway.tls;

import java.nio.file.Path;

/** A PEM certificate chain and its PEM (PKCS#8) private key. */
public record TlsFiles(Path certificateChain, Path privateKey) {
}
