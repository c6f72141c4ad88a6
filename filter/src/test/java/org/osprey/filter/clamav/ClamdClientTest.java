package org.osprey.filter.clamav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ClamdClient against a real clamd, over its Unix socket and over TCP; one clamd for the whole class. */
class ClamdClientTest {
    @TempDir
    static Path dir;
    static ClamdProcess clamd;

    @BeforeAll
    static void startClamd() throws Exception {
        clamd = ClamdProcess.start(dir);
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static ClamdClient client(String transport) {
        return transport.equals("unix") ? clamd.unixClient() : clamd.tcpClient();
    }

    private static ScanResult scan(String transport, byte[] message) {
        return client(transport).scan(new ByteArrayInputStream(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void pingAndVersion(String transport) throws IOException {
        assertThat(client(transport).ping()).isTrue();
        assertThat(client(transport).version()).startsWith("ClamAV ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void cleanMessageIsClean(String transport) {
        assertThat(scan(transport, Messages.plain("Nothing to see here."))).isEqualTo(ScanResult.CLEAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void eicarInBase64AttachmentIsInfected(String transport) {
        var message = Messages.withAttachment("eicar.com", "application/octet-stream",
                ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(message, StandardCharsets.US_ASCII)).doesNotContain("EICAR-STANDARD");

        assertThat(scan(transport, message)).isEqualTo(infected());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void eicarInZipAttachmentIsInfected(String transport) throws IOException {
        var zip = Messages.zip("readme.com", ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII));
        var message = Messages.withAttachment("docs.zip", "application/zip", zip);

        assertThat(scan(transport, message)).isEqualTo(infected());
    }

    @Test
    void eicarInPlainBodyIsInfected() {
        assertThat(scan("unix", Messages.plain(ClamdProcess.EICAR))).isEqualTo(infected());
    }

    @Test
    void signatureSplitAcrossTwoChunksIsFound() {
        // the EICAR string starts 10 bytes before the end of the first 64 KB chunk
        var head = Messages.plain("x");
        var filler = new byte[ClamdClient.CHUNK_SIZE - 10 - head.length];
        Arrays.fill(filler, (byte) 'a');
        var message = new ByteArrayInputStream(concat(head, filler,
                ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII), "\r\n".getBytes(StandardCharsets.US_ASCII)));

        assertThat(clamd.unixClient().scan(message)).isEqualTo(infected());
    }

    @Test
    void cleanMessageOfManyChunksIsClean() {
        var body = "All work and no play makes Jack a dull boy.\r\n".repeat(10_000); // ~450 KB, 7 chunks
        assertThat(scan("tcp", Messages.plain(body))).isEqualTo(ScanResult.CLEAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void messageOverStreamMaxLengthFails(String transport) {
        // generated on the fly: 4 MB that never exist as one array, four times clamd's StreamMaxLength
        InputStream huge = new SequenceInputStream(new ByteArrayInputStream(Messages.plain("big")),
                new InputStream() {
                    long left = 4L * ClamdProcess.STREAM_MAX_BYTES;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'z' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        Arrays.fill(b, off, off + n, (byte) 'z');
                        left -= n;
                        return n;
                    }
                });

        var result = client(transport).scan(huge);

        assertThat(result).isInstanceOf(ScanResult.Failed.class);
        assertThat(((ScanResult.Failed) result).reason()).contains("StreamMaxLength");
        assertThat(client(transport).ping()).as("clamd still serves").isTrue();
    }

    @Test
    void concurrentScansEachGetTheirOwnAnswer() throws Exception {
        var client = clamd.unixClient();
        var clean = Messages.plain("fine");
        var dirty = Messages.withAttachment("e.com", "application/octet-stream",
                ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<ScanResult>>();
            for (int i = 0; i < 20; i++) {
                var message = i % 2 == 0 ? clean : dirty;
                futures.add(pool.submit(() -> client.scan(new ByteArrayInputStream(message))));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(i % 2 == 0 ? ScanResult.CLEAN : infected());
            }
        }
    }

    /** clamd marks signatures from outside its official databases with ".UNOFFICIAL". */
    private static ScanResult infected() {
        return new ScanResult.Infected(ClamdProcess.SIGNATURE + ".UNOFFICIAL");
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
