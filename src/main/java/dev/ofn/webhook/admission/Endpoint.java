package dev.ofn.webhook.admission;

/** The webhook paths (parity names with OpenFunction, so existing configurations keep working). */
public enum Endpoint {
  MUTATE_FUNCTION("/mutate-core-openfunction-io-v1beta2-function", "mfunctions.of.io"),
  VALIDATE_FUNCTION("/validate-core-openfunction-io-v1beta2-function", "vfunctions.of.io"),
  MUTATE_GATEWAY("/mutate-networking-openfunction-io-v1alpha1-gateway", "mgateway.of.io"),
  VALIDATE_GATEWAY("/validate-networking-openfunction-io-v1alpha1-gateway", "vgateway.of.io"),
  VALIDATE_HTTPROUTE("/validate-gateway-networking-k8s-io-v1-httproute", "vhttproutes.of.io");

  public final String path;
  public final String webhookName;

  Endpoint(String path, String webhookName) {
    this.path = path;
    this.webhookName = webhookName;
  }
}
