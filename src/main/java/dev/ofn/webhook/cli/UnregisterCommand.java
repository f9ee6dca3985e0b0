package dev.ofn.webhook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code webhook unregister}: removes the webhook configurations that {@code serve --register-url} made. */
@Command(name = "unregister", mixinStandardHelpOptions = true,
    description = "Delete our Mutating- and ValidatingWebhookConfiguration (local development).")
final class UnregisterCommand implements Callable<Integer> {
  @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--mutating-config", defaultValue = "ofn-webhook")
  String mutatingConfig;

  @Option(names = "--validating-config", defaultValue = "ofn-webhook")
  String validatingConfig;

  @Override
  public Integer call() {
    System.err.println("webhook unregister: not available yet");
    return 1;
  }
}
