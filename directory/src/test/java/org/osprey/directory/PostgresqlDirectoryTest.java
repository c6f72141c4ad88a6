package org.osprey.directory;

import java.nio.file.Path;

class PostgresqlDirectoryTest extends DirectoryContractTest {
    @Override
    TestDatabases.TestDatabase create(Path tmp) {
        return TestDatabases.postgresql();
    }
}
