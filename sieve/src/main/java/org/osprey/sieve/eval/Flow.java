package org.osprey.sieve.eval;

/** How a command ends: go on, stop everything (stop), or leave the current included script (return). */
enum Flow {
    NEXT, STOP, RETURN
}
