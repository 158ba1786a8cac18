package io.hostmesh.ssh;

/**
 * The avahi advert of the SSH socket ({@code balena-files/ssh.service}, spec/units.md §2):
 * {@code _ssh._tcp} with the subtype {@code _resin-device._sub._ssh._tcp}, named after the host.
 */
final class AvahiSshService {
  private AvahiSshService() {}

  private static final String TEMPLATE = """
      <?xml version="1.0" standalone='no'?><!--*-nxml-*-->
      <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
      <service-group>
        <name replace-wildcards="yes">%h</name>
        <service>
          <type>_ssh._tcp</type>
          <subtype>_resin-device._sub._ssh._tcp</subtype>
          <port>@PORT@</port>
        </service>
      </service-group>
      """;

  /** The service file for the socket's port. */
  static String render(int port) {
    return TEMPLATE.replace("@PORT@", Integer.toString(port));
  }
}
