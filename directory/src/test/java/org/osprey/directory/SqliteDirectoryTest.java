package org.osprey.directory;

import java.nio.file.Path;

class SqliteDirectoryTest extends DirectoryContractTest {
    @Override
    TestDatabases.TestDatabase create(Path tmp) {
        return TestDatabases.sqlite(tmp);
    }
}
