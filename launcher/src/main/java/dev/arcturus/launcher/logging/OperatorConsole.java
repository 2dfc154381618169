package dev.arcturus.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console of a long-running {@code arcturus up}: it keeps the banner and what an operator must act on (warnings
 * and errors of Arcturus itself, errors of anything), and sends everything that is logged, Kafka's internal chatter
 * included, to a rolling file under the state folder. A newcomer reads every WARN line on the console as a fault; a
 * rebalancing consumer's "no longer assigned" is not one, yet someone debugging wants it kept.
 */
public final class OperatorConsole {
    static final String OWN_LOGGERS = "dev.arcturus";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n";
    private static final FileSize MAX_FILE = FileSize.valueOf("20MB");
    private static final int KEPT_FILES = 5;

    private OperatorConsole() {
    }

    /**
     * Routes the whole log to {@code file} (rolled at 20 MB, 5 kept) and narrows every console appender to
     * {@link #forOperators}.
     *
     * @return the file, for the banner
     */
    public static Path logToFile(final Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return file; // another SLF4J binding: its own configuration decides
        }
        final ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(rollingFile(context, file.toAbsolutePath()));
        root.iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
                console.addFilter(new OperatorFilter());
            }
        });
        return file.toAbsolutePath();
    }

    /** What the console keeps: Arcturus's own warnings and errors, anyone's errors. */
    static boolean forOperators(final ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            return true;
        }
        final String name = event.getLoggerName();
        final boolean own = name.equals(OWN_LOGGERS) || name.startsWith(OWN_LOGGERS + ".");
        return own && event.getLevel().isGreaterOrEqual(Level.WARN);
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(final LoggerContext context, final Path file) {
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        final RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);

        final FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEPT_FILES);
        rolling.start();

        final SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(MAX_FILE);
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        return appender;
    }

    /** Denies what {@link #forOperators} leaves to the file. */
    static final class OperatorFilter extends Filter<ILoggingEvent> {
        OperatorFilter() {
            start();
        }

        @Override
        public FilterReply decide(final ILoggingEvent event) {
            return forOperators(event) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}
