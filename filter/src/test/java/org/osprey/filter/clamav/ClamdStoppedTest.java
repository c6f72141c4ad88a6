package org.osprey.filter.clamav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** A clamd that goes away mid-run: scans fail, and ClamavCheck applies on_failure. Its own clamd, stopped in order. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClamdStoppedTest {
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

    private static ByteArrayInputStream clean() {
        return new ByteArrayInputStream(Messages.plain("hello"));
    }

    @Test
    @Order(1)
    void whileClamdRunsTheCheckDecides() {
        var tempfail = new ClamavCheck(clamd.unixClient(), ClamavCheck.OnFailure.TEMPFAIL);
        assertThat(tempfail.check(clean())).isEqualTo(new ClamavCheck.Decision.Accept());

        var virus = Messages.withAttachment("e.com", "application/octet-stream",
                ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII));
        assertThat(tempfail.check(new ByteArrayInputStream(virus))).isEqualTo(new ClamavCheck.Decision.Reject(
                554, "5.7.1", "Virus found: " + ClamdProcess.SIGNATURE + ".UNOFFICIAL"));
    }

    @Test
    @Order(2)
    void afterClamdStopsScansFailAndThePolicyApplies() throws Exception {
        clamd.close();

        for (var client : new ClamdClient[] {clamd.unixClient(), clamd.tcpClient()}) {
            assertThat(client.ping()).isFalse();
            var result = client.scan(clean());
            assertThat(result).isInstanceOf(ScanResult.Failed.class);
            assertThat(((ScanResult.Failed) result).reason()).contains("cannot connect");

            assertThat(new ClamavCheck(client, ClamavCheck.OnFailure.TEMPFAIL).check(clean()))
                    .isEqualTo(new ClamavCheck.Decision.TempFail(451, "4.7.1",
                            "Virus scanner unavailable, try again later"));
            var accepted = new ClamavCheck(client, ClamavCheck.OnFailure.ACCEPT).check(clean());
            assertThat(accepted).isInstanceOf(ClamavCheck.Decision.AcceptWithHeader.class);
            assertThat(((ClamavCheck.Decision.AcceptWithHeader) accepted).header())
                    .startsWith("X-Virus-Scan: failed (clamd at ").contains("cannot connect").endsWith(")")
                    .doesNotContain("\r", "\n");
        }
    }
}
