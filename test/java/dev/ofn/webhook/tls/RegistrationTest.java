package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RegistrationTest {
  static KubernetesClient client;

  @Test
  void registerCreatesThenReplacesAndUnregisterRemoves() {
    String ca = CertificateAuthority.generate(Clock.systemUTC()).certificatePem();
    Registration.register(
        client, "ofn-webhook-dev", "ofn-webhook-dev", "https://127.0.0.1:9443", ca);
    MutatingWebhookConfiguration m =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName("ofn-webhook-dev")
            .get();
    ValidatingWebhookConfiguration v =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName("ofn-webhook-dev")
            .get();
    assertEquals(
        "https://127.0.0.1:9443/mutate-core-openfunction-io-v1beta2-function",
        m.getWebhooks().get(0).getClientConfig().getUrl());
    assertEquals(
        "https://127.0.0.1:9443/validate-gateway-networking-k8s-io-v1-httproute",
        v.getWebhooks().get(2).getClientConfig().getUrl());
    assertNull(v.getWebhooks().get(2).getClientConfig().getService());
    assertEquals(
        ca,
        WebhookConfigurations.caBundlePem(v.getWebhooks().get(0).getClientConfig().getCaBundle()));

    // Again, elsewhere, with another CA: replaced, not duplicated or refused.
    String ca2 = CertificateAuthority.generate(Clock.systemUTC()).certificatePem();
    Registration.register(
        client, "ofn-webhook-dev", "ofn-webhook-dev", "https://192.168.1.5:8443", ca2);
    m =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName("ofn-webhook-dev")
            .get();
    assertEquals(
        "https://192.168.1.5:8443/mutate-networking-openfunction-io-v1alpha1-gateway",
        m.getWebhooks().get(1).getClientConfig().getUrl());
    assertEquals(
        ca2,
        WebhookConfigurations.caBundlePem(m.getWebhooks().get(1).getClientConfig().getCaBundle()));
    assertEquals(
        WebhookConfigurations.mutating().getWebhooks().get(0).getRules(),
        m.getWebhooks().get(0).getRules());

    assertEquals(2, Registration.unregister(client, "ofn-webhook-dev", "ofn-webhook-dev"));
    assertNull(
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName("ofn-webhook-dev")
            .get());
    assertEquals(0, Registration.unregister(client, "ofn-webhook-dev", "ofn-webhook-dev"));
  }
}
