package dev.ofn.webhook.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookConfigurationsTest {
  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void forUrlChangesOnlyNameAndClientConfig() {
    MutatingWebhookConfiguration m =
        WebhookConfigurations.mutatingForUrl("dev-hooks", "https://127.0.0.1:9443/", CA);
    assertEquals("dev-hooks", m.getMetadata().getName());
    List<MutatingWebhook> original = WebhookConfigurations.mutating().getWebhooks();
    for (int i = 0; i < original.size(); i++) {
      MutatingWebhook w = m.getWebhooks().get(i);
      assertEquals(
          "https://127.0.0.1:9443" + original.get(i).getClientConfig().getService().getPath(),
          w.getClientConfig().getUrl());
      assertNull(w.getClientConfig().getService());
      assertEquals(CA, WebhookConfigurations.caBundlePem(w.getClientConfig().getCaBundle()));
      w.setClientConfig(original.get(i).getClientConfig());
      assertEquals(original.get(i), w, "all but clientConfig as in the manifests");
    }
    ValidatingWebhookConfiguration v =
        WebhookConfigurations.validatingForUrl(
            "dev-hooks", "https://host.docker.internal:9443", CA);
    List<ValidatingWebhook> vOriginal = WebhookConfigurations.validating().getWebhooks();
    assertEquals(4, v.getWebhooks().size());
    for (int i = 0; i < vOriginal.size(); i++) {
      ValidatingWebhook w = v.getWebhooks().get(i);
      assertEquals(
          "https://host.docker.internal:9443"
              + vOriginal.get(i).getClientConfig().getService().getPath(),
          w.getClientConfig().getUrl());
      w.setClientConfig(vOriginal.get(i).getClientConfig());
      assertEquals(vOriginal.get(i), w);
    }
  }

  @Test
  void eachCallIsAFreshCopy() {
    WebhookConfigurations.mutating().getWebhooks().get(0).setTimeoutSeconds(30);
    assertEquals(5, WebhookConfigurations.mutating().getWebhooks().get(0).getTimeoutSeconds());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:9443",
        "https://u:p@127.0.0.1",
        "https://127.0.0.1?x=1",
        "https://127.0.0.1#f",
        "127.0.0.1:9443",
        "https:// bad"
      })
  void refusesUrlsTheApiserverWouldRefuse(String url) {
    assertThrows(
        IllegalArgumentException.class, () -> WebhookConfigurations.mutatingForUrl("x", url, CA));
  }

  @Test
  void caBundleIsBase64OfThePem() {
    assertEquals(
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
        WebhookConfigurations.caBundle(CA));
    assertNull(WebhookConfigurations.caBundlePem("%%%"));
  }
}
