package io.timberdb.coordinator.state;

import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;

/**
 * Encodes a {@link Command} as the payload of one Raft log entry.
 *
 * <pre>
 * offset  width  type    meaning
 * 0       2      bytes   magic "TC" (0x54 0x43)
 * 2       1      uint8   format version
 * 3       n      UTF-8   the command as one JSON object:
 *                        {"type":"create_partition","id","name","tags","retention_days","created_at","shard_count"}
 *                        {"type":"register_node","id","address","at"}   (instants as ISO-8601 strings)
 *                        {"type":"record_voter","voter":{"id","raft_address","http_url"}}   (version 2)
 *                        {"type":"forget_voter","id"}                                       (version 2)
 *                        create_partition + "replication_factor","min_insync_replicas","tenant" (version 3)
 *                        register_node + "zone","capacity_bytes"                                (version 3)
 *                        {"type":"update_partition","id","retention_days"?,"tags"?}             (version 3)
 *                        {"type":"delete_partition","id"}                                       (version 3)
 *                        {"type":"set_node_state","id","state","at"}                            (version 3)
 *                        {"type":"apply_moves","moves":[{"partition_id","shard","from","to","moves_leadership"}]}
 *                                                                                               (version 3)
 *                        {"type":"alter_isr","partition_id","shard","leader","epoch","isr","new_isr"} (version 4)
 *                        {"type":"elect_leaders","node","changes":[{"partition_id","shard","epoch","leader","isr"}]}
 *                                                                                               (version 4)
 *                        {"type":"complete_moves","moves":[{"partition_id","shard","epoch","removed"}]} (version 4)
 * </pre>
 *
 * No checksum here: the Raft log checksums each entry ({@code enableLogEntryChecksum}).
 *
 * <p>A frame carries the oldest version that can read it: the commands of version 1 are still
 * written as version 1 (byte for byte as before), the voter directory's as version 2, and a
 * create_partition or register_node as version 3 only when it has a field of version 3 (the
 * optional fields are left out of the JSON when null, and create_partition's are canonical, see
 * {@link Command.CreatePartition}); so a build that reads an older version refuses exactly the
 * commands it does not know, with a version error.
 *
 * <p>Version history: 1 — create_partition, register_node; 2 — adds record_voter and forget_voter;
 * 3 — replicas and membership: create_partition's replication_factor, min_insync_replicas and
 * tenant, register_node's zone and capacity_bytes, and update_partition, delete_partition,
 * set_node_state, apply_moves; 4 — replication (TDB-05): alter_isr, elect_leaders, complete_moves
 * (and apply_moves starts moves that complete_moves finishes; its encoding is unchanged).
 *
 * <p>Stateless and thread-safe.
 */
public final class CommandCodec {

    static final byte MAGIC_0 = 'T';
    static final byte MAGIC_1 = 'C';
    static final int MAGIC_OFFSET = 0;
    static final int MAGIC_LENGTH = 2;
    static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    static final int VERSION_LENGTH = 1;
    static final int BODY_OFFSET = VERSION_OFFSET + VERSION_LENGTH;

    /** The oldest format version this build reads. */
    public static final int MIN_SUPPORTED = 1;
    /** The newest format version this build writes (for the commands of version 4). */
    public static final int CURRENT = 4;
    /** The version that introduced the voter directory's commands. */
    static final int VOTER_COMMANDS = 2;
    /** The version that introduced replicas and membership. */
    static final int REPLICA_COMMANDS = 3;
    /** The version that introduced the replication commands (ISR, leader elections, move completion). */
    static final int REPLICATION_COMMANDS = 4;

    private CommandCodec() {
    }

    /** The log entry payload of a command. */
    public static byte[] encode(Command command) {
        byte[] body = MetadataJson.MAPPER.writeValueAsBytes(command);
        byte[] frame = new byte[BODY_OFFSET + body.length];
        frame[MAGIC_OFFSET] = MAGIC_0;
        frame[MAGIC_OFFSET + 1] = MAGIC_1;
        frame[VERSION_OFFSET] = (byte) version(command);
        System.arraycopy(body, 0, frame, BODY_OFFSET, body.length);
        return frame;
    }

    /**
     * The command in a log entry payload; does not move the buffer's position.
     *
     * @throws MetadataFormatException when the payload is not a command this build reads
     */
    public static Command decode(ByteBuffer payload) {
        ByteBuffer in = payload.slice();
        if (in.remaining() < BODY_OFFSET) {
            throw new MetadataFormatException("command", "truncated: " + in.remaining() + " bytes");
        }
        if (in.get(MAGIC_OFFSET) != MAGIC_0 || in.get(MAGIC_OFFSET + 1) != MAGIC_1) {
            throw new MetadataFormatException("command", "bad magic");
        }
        int version = Byte.toUnsignedInt(in.get(VERSION_OFFSET));
        if (version < MIN_SUPPORTED || version > CURRENT) {
            throw new MetadataFormatException("command", "unsupported format version " + version
                    + " (this build reads " + MIN_SUPPORTED + ".." + CURRENT + ")");
        }
        byte[] body = new byte[in.remaining() - BODY_OFFSET];
        in.position(BODY_OFFSET);
        in.get(body);
        Command command;
        try {
            command = MetadataJson.MAPPER.readValue(body, Command.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MetadataFormatException("command", "malformed body: " + e.getMessage(), e);
        }
        if (version < version(command)) {
            throw new MetadataFormatException("command", "a " + command.getClass().getSimpleName()
                    + " needs format version " + version(command) + ", not " + version);
        }
        return command;
    }

    /** The oldest format version that has this command. */
    private static int version(Command command) {
        if (command instanceof Command.CreatePartition create) {
            return create.hasReplicaFields() ? REPLICA_COMMANDS : 1;
        }
        if (command instanceof Command.RegisterNode register) {
            return register.zone() != null || register.capacityBytes() != null ? REPLICA_COMMANDS : 1;
        }
        if (command instanceof Command.RecordVoter || command instanceof Command.ForgetVoter) {
            return VOTER_COMMANDS;
        }
        if (command instanceof Command.AlterIsr || command instanceof Command.ElectLeaders
                || command instanceof Command.CompleteMoves) {
            return REPLICATION_COMMANDS;
        }
        return REPLICA_COMMANDS;
    }
}
