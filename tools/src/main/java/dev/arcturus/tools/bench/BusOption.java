package dev.arcturus.tools.bench;

import picocli.CommandLine.Option;

/** {@code --bus secured|plaintext}: the bus a benchmark runs on; secured, as {@code up} runs it, by default. */
final class BusOption {
    enum Bus { SECURED, PLAINTEXT }

    @Option(names = "--bus", defaultValue = "secured", converter = BusConverter.class,
            description = "secured (SASL/SCRAM, ACLs, a principal per component, as `up` runs) or plaintext "
                    + "(default ${DEFAULT-VALUE}).")
    Bus bus = Bus.SECURED;

    boolean secured() {
        return bus == Bus.SECURED;
    }

    /** The RESULT line's {@code bus=} value. */
    String label() {
        return bus.name().toLowerCase(java.util.Locale.ROOT);
    }

    static final class BusConverter implements picocli.CommandLine.ITypeConverter<Bus> {
        @Override
        public Bus convert(final String value) {
            return Bus.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
