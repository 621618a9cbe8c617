package dev.notify.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The forgotten-branch scenario's branch name: another transaction of the same server and run. */
class ForgottenBranchNameTest {

    private static final byte[] GLOBAL_ID = new byte[40];
    private static final String BRANCH = Base64.getEncoder().encodeToString("notify-1,\u0001".getBytes());

    static {
        for (int i = 0; i < GLOBAL_ID.length; i++) {
            GLOBAL_ID[i] = (byte) i;
        }
    }

    @Test
    void payarasSequenceNumberChangesAndItsRunStampAndServerStay() {
        byte[] changed = changed("4871251");

        assertNotEquals(Arrays.toString(Arrays.copyOfRange(GLOBAL_ID, 0, 4)), Arrays.toString(Arrays.copyOfRange(changed, 0, 4)));
        assertArrayEquals(Arrays.copyOfRange(GLOBAL_ID, 4, 40), Arrays.copyOfRange(changed, 4, 40), "the run's stamp and the rest");
    }

    @Test
    void narayanasUidCounterChangesAndItsNodeNameStays() {
        byte[] changed = changed("131077");

        assertArrayEquals(Arrays.copyOfRange(GLOBAL_ID, 0, 24), Arrays.copyOfRange(changed, 0, 24));
        assertNotEquals(Arrays.toString(Arrays.copyOfRange(GLOBAL_ID, 24, 28)), Arrays.toString(Arrays.copyOfRange(changed, 24, 28)));
        assertArrayEquals(Arrays.copyOfRange(GLOBAL_ID, 28, 40), Arrays.copyOfRange(changed, 28, 40), "the node name");
    }

    @Test
    void anotherTransactionManagersBranchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Store.branchOfAnotherTransaction("1_" + encoded() + "_" + BRANCH));
    }

    private static byte[] changed(String format) {
        String[] parts = Store.branchOfAnotherTransaction(format + "_" + encoded() + "_" + BRANCH).split("_");
        assertEquals(format, parts[0]);
        assertEquals(BRANCH, parts[2], "the branch qualifier names the same server");
        return Base64.getDecoder().decode(parts[1]);
    }

    private static String encoded() {
        return Base64.getEncoder().encodeToString(GLOBAL_ID);
    }
}
