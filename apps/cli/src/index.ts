// The novakit command: novakit up and the operator commands.
export {};
