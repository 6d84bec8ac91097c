import type { Message } from '../../../../shared/message.ts';
import type { Action, Notice, PanelState } from './types.ts';

let noticeIds = 0;

function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const lastSeq = (messages: Message[]) => messages[messages.length - 1]?.seq ?? 0;

/** All panel state changes: pure, so the behaviour is testable without sockets or DOM. */
export function reducer(state: PanelState, action: Action): PanelState {
  switch (action.type) {
    case 'status':
      return { ...state, status: action.status };
    case 'site':
      return { ...state, site: action.site };
    case 'conversation':
      return {
        ...state,
        conversation: action.conversation,
        messages: mergeMessages([], action.messages),
        drafts: [],
        typing: { bot: false, agent: false },
        notices: state.conversation?.id === action.conversation?.id ? state.notices : [],
      };
    case 'messages': {
      const convId = state.conversation?.id;
      const mine = action.messages.filter((m) => m.conversationId === convId);
      if (!mine.length) return state;
      const done = new Set(mine.map((m) => m.draftId).filter(Boolean));
      const fromBot = mine.some((m) => m.author !== 'visitor');
      return {
        ...state,
        messages: mergeMessages(state.messages, mine),
        drafts: state.drafts.filter((d) => !done.has(d.draftId)),
        // a finished reply ends that author's typing even if typing:changed(false) comes late
        typing: fromBot ? { bot: false, agent: false } : state.typing,
      };
    }
    case 'delta': {
      if (action.conversationId !== state.conversation?.id) return state;
      const i = state.drafts.findIndex((d) => d.draftId === action.draftId);
      const drafts =
        i < 0
          ? [...state.drafts, { draftId: action.draftId, text: action.text }]
          : state.drafts.map((d, j) => (j === i ? { ...d, text: d.text + action.text } : d));
      return { ...state, drafts };
    }
    case 'typing':
      if (action.conversationId !== state.conversation?.id) return state;
      return { ...state, typing: { ...state.typing, [action.author]: action.typing } };
    case 'updated': {
      const prev = state.conversation;
      if (!prev || prev.id !== action.conversation.id) return state;
      const next = action.conversation;
      let notice: Notice | null = null;
      const at = lastSeq(state.messages);
      if (next.mode === 'human' && (prev.mode !== 'human' || prev.agentName !== next.agentName) && next.agentName)
        notice = { id: ++noticeIds, afterSeq: at, kind: 'agentJoined', name: next.agentName };
      else if (next.mode === 'bot' && prev.mode === 'human' && prev.agentName)
        notice = { id: ++noticeIds, afterSeq: at, kind: 'agentLeft', name: prev.agentName };
      return { ...state, conversation: next, notices: notice ? [...state.notices, notice] : state.notices };
    }
    case 'ended': {
      const c = state.conversation;
      if (!c || c.id !== action.conversationId || c.status === 'ended') return state;
      return { ...state, conversation: { ...c, status: 'ended' }, typing: { bot: false, agent: false }, drafts: [] };
    }
    case 'outbox':
      return { ...state, outbox: action.entries };
    case 'banner':
      return { ...state, banner: action.banner };
  }
}
