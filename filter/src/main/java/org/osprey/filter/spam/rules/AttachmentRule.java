package org.osprey.filter.spam.rules;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * Attachments that run when opened on Windows (programs, scripts, shortcuts, installers), by name or by type, and
 * names that put a document extension before a program extension ("invoice.pdf.exe", shown as "invoice.pdf").
 */
final class AttachmentRule implements Rule {
    private static final Set<String> EXECUTABLE = Set.of("exe", "scr", "pif", "com", "bat", "cmd", "vbs", "vbe",
        "js", "jse", "wsf", "wsh", "hta", "lnk", "cpl", "msi", "msp", "ps1", "reg", "jar", "scf", "inf", "dll");
    private static final Set<String> EXECUTABLE_TYPES = Set.of("application/x-msdownload",
        "application/x-msdos-program", "application/x-dosexec", "application/x-ms-shortcut", "application/hta",
        "application/x-ms-installer", "application/x-msi");
    private static final Set<String> DOCUMENT = Set.of("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt",
        "jpg", "jpeg", "png", "gif", "zip", "rtf", "htm", "html", "odt", "csv");

    @Override
    public Map<String, Double> scores() {
        return Map.of("EXE_ATTACHMENT", 2.0, "DOUBLE_EXTENSION", 1.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        String executable = null;
        String doubled = null;
        for (ParsedMessage.Attachment attachment : context.message().attachments()) {
            String name = attachment.filename().strip().toLowerCase(Locale.ROOT).replaceAll("[.\\s]+$", "");
            String[] parts = name.split("\\.");
            String extension = parts.length > 1 ? parts[parts.length - 1] : "";
            if (EXECUTABLE.contains(extension) || EXECUTABLE_TYPES.contains(attachment.contentType())) {
                executable = executable == null ? attachment.filename() + " (" + attachment.contentType() + ")"
                    : executable;
                if (parts.length > 2 && DOCUMENT.contains(parts[parts.length - 2])) {
                    doubled = doubled == null ? attachment.filename() : doubled;
                }
            }
        }
        if (executable != null) {
            findings.add("EXE_ATTACHMENT", executable);
        }
        if (doubled != null) {
            findings.add("DOUBLE_EXTENSION", doubled);
        }
    }
}
