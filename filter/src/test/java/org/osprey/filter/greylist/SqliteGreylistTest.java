package org.osprey.filter.greylist;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.directory.TestDatabases;
import org.osprey.directory.TestDatabases.TestDatabase;

class SqliteGreylistTest extends GreylistContractTest {
    @TempDir
    Path dir;

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.sqlite(dir);
    }
}
