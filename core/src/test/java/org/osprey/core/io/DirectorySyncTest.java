package org.osprey.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    @TempDir
    Path dir;

    @Test
    void manyConcurrentCallersAllReturnAfterAnFsync() throws Exception {
        var sync = new DirectorySync();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    Files.writeString(dir.resolve("f" + n), "x");
                    sync.sync(dir);
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(500);
        }
    }

    @Test
    void aMissingDirectoryIsAnErrorNotASilentSuccess() {
        var sync = new DirectorySync();
        assertThatThrownBy(() -> sync.sync(dir.resolve("gone"))).isInstanceOf(IOException.class);
    }
}
