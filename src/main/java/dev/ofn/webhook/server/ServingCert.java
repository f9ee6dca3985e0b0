package dev.ofn.webhook.server;

/** The PEM certificate chain and PKCS#8 key the HTTPS server presents. */
public record ServingCert(String certPem, String keyPem) {}
