package dev.ofn.webhook.cli;

/** Entry point; the commands are wired in by the admission-server work. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("webhook: not wired yet");
    System.exit(2);
  }
}
