import type { MessageRow } from "@herald/db";

export type SendStatus = "delivered" | "queued" | "failed" | "rejected";

export interface SendMessageResponse {
  SentMessage: boolean;
  Message: string;
  messageId: string | null;
  status: SendStatus;
}

/** The SendMessageResponse a low-code activity receives for a message in its current state. */
export function presentMessage(row: MessageRow): { httpStatus: 200 | 202; body: SendMessageResponse } {
  if (row.status === "delivered") {
    return {
      httpStatus: 200,
      body: { SentMessage: true, Message: row.statusMessage, messageId: row.id, status: "delivered" },
    };
  }
  if (row.status === "failed") {
    return {
      httpStatus: 200,
      body: { SentMessage: false, Message: row.statusMessage, messageId: row.id, status: "failed" },
    };
  }
  const due = row.channelReadyAt && row.channelReadyAt > row.dueAt ? row.channelReadyAt : row.dueAt;
  return {
    httpStatus: 202,
    body: {
      SentMessage: false,
      Message: `${row.statusMessage} Next attempt due at ${due.toISOString()}.`,
      messageId: row.id,
      status: "queued",
    },
  };
}
