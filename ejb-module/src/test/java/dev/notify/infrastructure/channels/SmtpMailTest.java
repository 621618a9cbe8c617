package dev.notify.infrastructure.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;

import org.junit.jupiter.api.Test;

class SmtpMailTest {

    /** As Jakarta Mail's SMTP provider refuses a recipient: its reply code on a nested exception. */
    public static final class RecipientRefused extends MessagingException {
        private final int returnCode;

        RecipientRefused(int returnCode) {
            super(returnCode + " refused");
            this.returnCode = returnCode;
        }

        public int getReturnCode() {
            return returnCode;
        }
    }

    @Test
    void theReplyCodeOfANestedRefusal() {
        SendFailedException greylisted = new SendFailedException("Invalid Addresses", new RecipientRefused(450));

        assertEquals(450, SmtpMail.replyCode(greylisted));
    }

    @Test
    void theReplyCodeOfTheRefusalItself() {
        assertEquals(550, SmtpMail.replyCode(new RecipientRefused(550)));
    }

    @Test
    void noReplyCodeKnown() {
        assertEquals(0, SmtpMail.replyCode(new SendFailedException("no reply", new MessagingException("nothing"))));
    }
}
