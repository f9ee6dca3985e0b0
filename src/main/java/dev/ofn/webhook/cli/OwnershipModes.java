package dev.ofn.webhook.cli;

import dev.ofn.webhook.gateways.OwnershipMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --hostname-ownership off|namespace}. */
final class OwnershipModes implements ITypeConverter<OwnershipMode> {
  static final String DESCRIPTION =
      "Hostname ownership of gateways whose OFN Gateway has no "
          + "networking.openfunction.io/hostname-ownership annotation: off or namespace "
          + "(default ${DEFAULT-VALUE}).";

  @Override
  public OwnershipMode convert(String value) {
    return OwnershipMode.parse(value)
        .orElseThrow(() -> new TypeConversionException("'" + value + "' is not off or namespace"));
  }
}
