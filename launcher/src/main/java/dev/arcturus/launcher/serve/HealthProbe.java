package dev.arcturus.launcher.serve;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A container health check that needs nothing but the JDK: exits 0 when {@code /healthz} answers 200. The image's
 * entry point runs it as {@code arcturus healthcheck [url]} with only the launcher jar on the class path, so it
 * starts in a fraction of a second and works on any base image (no curl or wget needed).
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(final String[] args) throws Exception {
        final String url = args.length > 0 ? args[0] : "http://127.0.0.1:9464/healthz";
        final HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(2000);
        try {
            System.exit(connection.getResponseCode() == 200 ? 0 : 1);
        } catch (final java.io.IOException e) {
            System.err.println("unhealthy: " + url + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
