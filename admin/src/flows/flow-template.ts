/** What "New flow" starts from: a short valid survey to edit. */
export const NEW_FLOW_TEMPLATE = `${JSON.stringify(
  {
    id: 'new-survey',
    kind: 'survey',
    name: 'New survey',
    intro: 'Hi! Two quick questions about your visit.',
    questions: [
      { id: 'nps', type: 'nps', prompt: 'How likely are you to recommend us to a friend?' },
      { id: 'why', type: 'text', prompt: 'What is the main reason for your score?', probe: { max: 1 } },
    ],
    outro: 'Thank you, that helps a lot!',
  },
  null,
  2,
)}\n`;
