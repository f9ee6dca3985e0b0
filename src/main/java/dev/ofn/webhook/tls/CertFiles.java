package dev.ofn.webhook.tls;

import static dev.ofn.webhook.tls.CertBundle.CA_CRT;
import static dev.ofn.webhook.tls.CertBundle.CA_KEY;
import static dev.ofn.webhook.tls.CertBundle.TLS_CRT;
import static dev.ofn.webhook.tls.CertBundle.TLS_KEY;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone certificates in a directory: {@code ca.crt}, {@code ca.key}, {@code tls.crt}, {@code
 * tls.key}. {@link #ensure} never fails on what it finds there: missing, corrupt or unreadable
 * files are replaced, and when the directory cannot be written the fresh certificates are served
 * from memory. Keys are written {@code 0600} from the moment they exist (a temp file, then an
 * atomic move).
 */
public final class CertFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CertFiles.class);

  /** Bigger files are not PEM we wrote; refusing them keeps a stray disk image out of the heap. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private CertFiles() {}

  /**
   * Loads the bundle in {@code dir}, re-issues what {@link CertPolicy#DEFAULT} finds wrong, and
   * logs one line saying what and why. SANs are always {@code localhost} and {@code 127.0.0.1} plus
   * the given ones.
   *
   * @throws IllegalArgumentException when a given SAN is not a DNS name / IP address (a usage
   *     error)
   */
  public static CertBundle ensure(
      Path dir, List<String> dnsSans, List<String> ipSans, Clock clock) {
    return ensure(dir, Sans.standalone(dnsSans, ipSans), clock, CertPolicy.DEFAULT);
  }

  public static CertBundle ensure(Path dir, Sans sans, Clock clock, CertPolicy policy) {
    Outcome outcome = refresh(dir, sans, clock, policy);
    if (outcome.persisted()) {
      LOG.info(outcome.logLine());
    } else {
      LOG.warn(outcome.logLine());
    }
    return outcome.bundle();
  }

  /**
   * What {@link #ensure} did: the bundle to serve, the policy's action, the one log line, and
   * whether the directory now holds that bundle (false when it could not be written).
   */
  public record Outcome(
      CertBundle bundle, CertPolicy.Action action, String logLine, boolean persisted) {}

  /** {@link #ensure} without the logging, for callers (and tests) that want the verdict. */
  public static Outcome refresh(Path dir, Sans sans, Clock clock, CertPolicy policy) {
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    for (String name : List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY)) {
      texts.put(name, read(dir.resolve(name), unreadable));
    }
    CertBundle found =
        new CertBundle(
            texts.get(CA_CRT), texts.get(CA_KEY), texts.get(TLS_CRT), texts.get(TLS_KEY));
    CertPolicy.Decision decision = policy.decide(found, sans, clock.instant());
    String where = dir + dir.getFileSystem().getSeparator();
    if (decision.ok()) {
      String line = decision.reason(where);
      String tightened = tightenKeyPermissions(dir);
      return new Outcome(
          found, decision.action(), tightened == null ? line : line + "; " + tightened, true);
    }
    CertBundle fresh = reissue(found, decision, sans, clock);
    String line =
        texts.values().stream().allMatch(Objects::isNull) && unreadable.isEmpty()
            ? where + " holds no certificates: created a CA and a serving certificate for " + sans
            : explain(decision, unreadable).reason(where);
    try {
      write(dir, fresh, found);
      return new Outcome(fresh, decision.action(), line, true);
    } catch (IOException | RuntimeException e) {
      return new Outcome(
          fresh,
          decision.action(),
          line
              + "; but "
              + dir
              + " cannot be written ("
              + e
              + "): serving the new certificates from memory",
          false);
    }
  }

  /**
   * The bundle in {@code dir} as it is, missing or unreadable files as null; never writes. For
   * {@code --cert-mode=cert-manager}, where the directory is a read-only Secret mount and {@link
   * CertPolicy#decide} (with {@code wanted} null) only tells what to warn about.
   */
  public static CertBundle load(Path dir) {
    Map<String, String> ignored = new LinkedHashMap<>();
    return new CertBundle(
        read(dir.resolve(CA_CRT), ignored),
        read(dir.resolve(CA_KEY), ignored),
        read(dir.resolve(TLS_CRT), ignored),
        read(dir.resolve(TLS_KEY), ignored));
  }

  /**
   * The body of {@code webhook certs --out DIR}: a new CA and serving certificate, written over
   * whatever is there. Returns the process exit code: 0, 2 for a bad name (usage), 1 when writing
   * fails.
   */
  public static int writeCerts(Path outDir, List<String> dns, List<String> ips) {
    return writeCerts(outDir, dns, ips, Clock.systemUTC(), System.out, System.err);
  }

  /** An I/O failure in words: "permission denied", not java.nio.file.AccessDeniedException. */
  static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory (" + e.getMessage() + ")";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied (" + e.getMessage() + ")";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way (" + e.getMessage() + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static int writeCerts(
      Path outDir,
      List<String> dns,
      List<String> ips,
      Clock clock,
      PrintStream out,
      PrintStream err) {
    Sans sans;
    try {
      sans = Sans.standalone(dns, ips);
    } catch (IllegalArgumentException e) {
      err.println("webhook certs: " + e.getMessage());
      return 2;
    }
    CertBundle bundle = CertificateAuthority.generate(clock).issue(sans);
    try {
      write(outDir, bundle, null);
    } catch (IOException e) {
      err.println("webhook certs: cannot write " + outDir + ": " + reason(e));
      return 2;
    }
    out.println(
        "wrote "
            + outDir.resolve(CA_CRT)
            + ", "
            + CA_KEY
            + ", "
            + TLS_CRT
            + ", "
            + TLS_KEY
            + ": serving certificate for "
            + sans
            + ", valid until "
            + bundle.notAfter());
    return 0;
  }

  /**
   * Writes the files of {@code bundle} that differ from {@code previous} (all when it is null),
   * keys first.
   */
  static void write(Path dir, CertBundle bundle, CertBundle previous) throws IOException {
    Files.createDirectories(dir);
    CertBundle before = previous == null ? new CertBundle(null, null, null, null) : previous;
    // Key before certificate, CA before leaf: a crash in between leaves a mismatch the next start
    // repairs.
    writeIfChanged(dir.resolve(CA_KEY), bundle.caKeyPem(), before.caKeyPem(), true);
    writeIfChanged(dir.resolve(CA_CRT), bundle.caCertPem(), before.caCertPem(), false);
    writeIfChanged(dir.resolve(TLS_KEY), bundle.keyPem(), before.keyPem(), true);
    writeIfChanged(dir.resolve(TLS_CRT), bundle.certPem(), before.certPem(), false);
  }

  /**
   * Files have no one to publish a new CA to first (registration re-sends it): a roll is a
   * replacement.
   */
  private static CertBundle reissue(
      CertBundle found, CertPolicy.Decision decision, Sans sans, Clock clock) {
    if (decision.action() == CertPolicy.Action.RENEW_LEAF) {
      try {
        return CertificateAuthority.of(found, clock).issue(sans);
      } catch (RuntimeException e) {
        // The policy vetted the CA, so this is not expected; a new CA still beats not serving.
        LOG.warn("the CA in place cannot issue ({}): replacing it", e.getMessage());
      }
    }
    return CertificateAuthority.generate(clock).issue(sans);
  }

  /** The policy sees an unreadable file as missing; the log line says what really happened. */
  private static CertPolicy.Decision explain(
      CertPolicy.Decision decision, Map<String, String> unreadable) {
    String why = unreadable.get(decision.item());
    return why == null
        ? decision
        : new CertPolicy.Decision(decision.action(), decision.item(), why, "regenerated");
  }

  /** The file's text, or null when absent or unreadable (then noted in {@code unreadable}). */
  private static String read(Path file, Map<String, String> unreadable) {
    String name = file.getFileName().toString();
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        unreadable.put(name, "is too large (" + size + " bytes) to be PEM");
        return null;
      }
      // Lenient decoding: binary garbage becomes text the PEM parser rejects with a precise
      // message.
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (AccessDeniedException e) {
      unreadable.put(name, "is unreadable (permission denied)");
      return null;
    } catch (IOException | RuntimeException e) {
      unreadable.put(name, "is unreadable (" + e.getMessage() + ")");
      return null;
    }
  }

  private static void writeIfChanged(Path file, String text, String previous, boolean secret)
      throws IOException {
    if (text == null || text.equals(previous)) {
      return;
    }
    // createTempFile makes owner-only files on POSIX, so a key is never readable by others, not
    // even briefly.
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      setPermissions(temp, secret ? OWNER_ONLY : WORLD_READABLE);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Keys someone made readable to others go back to 0600; returns what was done, or null. */
  private static String tightenKeyPermissions(Path dir) {
    List<String> fixed = new java.util.ArrayList<>();
    for (String name : List.of(CA_KEY, TLS_KEY)) {
      Path key = dir.resolve(name);
      try {
        if (Files.exists(key) && !Files.getPosixFilePermissions(key).equals(OWNER_ONLY)) {
          Files.setPosixFilePermissions(key, OWNER_ONLY);
          fixed.add(name);
        }
      } catch (IOException | UnsupportedOperationException e) {
        // Not a POSIX file system, or not our file: nothing sensible to do about it.
      }
    }
    return fixed.isEmpty() ? null : String.join(", ", fixed) + " permissions set to 0600";
  }

  private static void setPermissions(Path file, Set<PosixFilePermission> permissions)
      throws IOException {
    try {
      Files.setPosixFilePermissions(file, permissions);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the directory's ACLs apply.
    }
  }
}
