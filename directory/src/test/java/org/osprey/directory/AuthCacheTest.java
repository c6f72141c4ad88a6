package org.osprey.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.config.Config;
import org.osprey.directory.password.PasswordScheme;

/** Repeated logins skip the password hash; a changed password or a wrong one never rides on the cache. */
class AuthCacheTest {

    @Test
    void aRepeatedLoginIsCheapAndAChangedPasswordIsNotRemembered(@TempDir Path tmp) throws Exception {
        try (Database database = Database.open(TestDatabases.sqlite(tmp).config())) {
            var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
            admin.addDomain("example.org");
            admin.addUser("john@example.org", "first-secret", 0);
            var directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));

            long start = System.nanoTime();
            assertThat(directory.check("john@example.org", "first-secret")).contains("john@example.org");
            long firstNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                assertThat(directory.check("john@example.org", "first-secret")).isPresent();
            }
            long tenCachedNanos = System.nanoTime() - start;
            // bcrypt cost 10 takes tens of milliseconds; ten cached checks take less than one of it
            assertThat(tenCachedNanos).isLessThan(firstNanos);

            assertThat(directory.check("john@example.org", "wrong")).isEmpty();
            admin.setPassword("john@example.org", "second-secret");
            assertThat(directory.check("john@example.org", "first-secret")).isEmpty();
            assertThat(directory.check("john@example.org", "second-secret")).isPresent();
            admin.setEnabled("john@example.org", false);
            assertThat(directory.check("john@example.org", "second-secret")).isEmpty();
        }
    }
}
