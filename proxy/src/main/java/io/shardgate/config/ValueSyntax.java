package io.shardgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The text forms nutcracker gives its values, parsed the way nutcracker parses them: numbers are plain decimal
 * digits, booleans are exactly {@code true} or {@code false}, {@code listen} is {@code host:port} or an absolute
 * socket path with an optional octal mode, a server is {@code host:port:weight [name]}. Each method throws
 * {@link Invalid} with what is wrong; the caller adds the file, pool and key.
 */
final class ValueSyntax {
    private ValueSyntax() {}

    /** A value that does not parse; the message says what is wrong with it. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** A non-negative decimal number no larger than {@code Integer.MAX_VALUE}, as nutcracker's nc_atoi reads. */
    static int number(String text) throws Invalid {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid("'" + text + "' is not a number (expected a whole number from 0 to "
                    + Integer.MAX_VALUE + ")");
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw new Invalid("'" + text + "' is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return Integer.parseInt(digits);
    }

    static boolean bool(String text) throws Invalid {
        if (text.equals("true")) return true;
        if (text.equals("false")) return false;
        throw new Invalid("'" + text + "' is not true or false (only these two lowercase words are accepted)");
    }

    static int port(String text, String what) throws Invalid {
        int port;
        try {
            port = number(text);
        } catch (Invalid e) {
            throw new Invalid("'" + text + "' is not a valid port in " + what + " (expected 1 to 65535)");
        }
        if (port < 1 || port > 65535) {
            throw new Invalid("'" + text + "' is not a valid port in " + what + " (expected 1 to 65535)");
        }
        return port;
    }

    /**
     * A pool's {@code listen}: {@code host:port} (the port after the last colon, so {@code ::1:22121} is IPv6's
     * loopback, as in nutcracker), or an absolute unix socket path optionally followed by a space and an octal
     * file mode. The host must resolve, as nutcracker resolves it while reading the file.
     */
    static ListenAddress listen(String text) throws Invalid {
        if (text.startsWith("/")) {
            int space = text.lastIndexOf(' ');
            if (space < 0) return ListenAddress.unix(text, -1);
            String path = text.substring(0, space).stripTrailing();
            String mode = text.substring(space + 1);
            if (mode.isEmpty() || !mode.chars().allMatch(c -> c >= '0' && c <= '7') || mode.length() > 12
                    || Long.parseLong(mode, 8) > 0777) {
                throw new Invalid("'" + mode + "' is not a valid socket file mode in '" + text
                        + "' (expected an octal mode up to 0777, such as 0666)");
            }
            int perm = Integer.parseInt(mode, 8);
            // nutcracker treats mode 0 as "no mode given" and leaves the socket's permissions alone
            return ListenAddress.unix(path, perm == 0 ? -1 : perm);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new Invalid("'" + text + "' is not in the form host:port, nor an absolute unix socket path");
        }
        String host = text.substring(0, colon);
        int port = port(text.substring(colon + 1), "'" + text + "'");
        if (host.isEmpty()) {
            throw new Invalid("'" + text + "' has no host (use 0.0.0.0:" + port + " to listen on every address)");
        }
        if (host.startsWith("[")) {
            throw new Invalid("'" + text + "': nutcracker configs write IPv6 addresses without brackets, e.g. "
                    + host.replaceAll("[\\[\\]]", "") + ":" + port);
        }
        resolve(host, text);
        return ListenAddress.tcp(host, port);
    }

    /** The address {@code host} resolves to, for comparing listen addresses; nutcracker resolves listen hosts too. */
    static InetAddress resolve(String host, String text) throws Invalid {
        if (host.chars().anyMatch(Character::isWhitespace)) {
            throw new Invalid("'" + text + "' has whitespace in its host '" + host + "'");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new Invalid("host '" + host + "' in '" + text + "' does not resolve");
        }
    }

    /**
     * A {@code servers} line: {@code host:port:weight [name]}, read from the end like nutcracker does (the name
     * after the last space, the weight and port after the last two colons, so the host may be a bare IPv6 address).
     * nutcracker also takes {@code /path/to/socket:weight [name]} for a server on a unix socket; shardgate cannot
     * connect to those yet and says so.
     */
    static ServerConfig server(String text) throws Invalid {
        String form = "'" + text + "' is not in the form host:port:weight [name]";
        String rest = text;
        String name = null;
        int space = text.lastIndexOf(' ');
        if (space >= 0) {
            name = text.substring(space + 1);
            rest = text.substring(0, space);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) throw new Invalid(form);
        String weightText = rest.substring(colon + 1);
        String address = rest.substring(0, colon);
        if (text.startsWith("/")) {
            if (address.contains(":")) throw new Invalid(form);
            weight(weightText, text);
            throw new Invalid("'" + text + "' is a unix socket server; shardgate connects to servers over TCP only"
                    + " (unix socket servers are not supported yet)");
        }
        int portColon = address.lastIndexOf(':');
        if (portColon < 0) throw new Invalid(form);
        String host = address.substring(0, portColon);
        String portText = address.substring(portColon + 1);
        int weight = weight(weightText, text);
        int port = port(portText, "'" + text + "'");
        if (host.isEmpty()) throw new Invalid("'" + text + "' has no host");
        if (host.chars().anyMatch(Character::isWhitespace)) {
            throw new Invalid("'" + text + "' has whitespace in its host '" + host + "'");
        }
        if (name != null && name.isEmpty()) throw new Invalid("'" + text + "' has an empty name after the space");
        return new ServerConfig(host, port, weight, name);
    }

    private static int weight(String weightText, String text) throws Invalid {
        int weight;
        try {
            weight = number(weightText);
        } catch (Invalid e) {
            throw new Invalid("'" + weightText + "' is not a valid weight in '" + text + "' (expected 1 to "
                    + Integer.MAX_VALUE + ")");
        }
        if (weight == 0) throw new Invalid("'" + text + "' has a zero weight (the least is 1)");
        return weight;
    }

    /** nutcracker's hash_tag: exactly two characters, the opening and closing delimiter. */
    static String hashTag(String text) throws Invalid {
        if (text.length() != 2 || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new Invalid("'" + text + "' is not a valid hash tag: it must be exactly two visible ASCII"
                    + " characters, the opening and the closing delimiter, such as \"{}\"");
        }
        return text;
    }
}
