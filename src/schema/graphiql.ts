/** The document GraphiQL opens with: a walk through register, login and whoami. */
export const graphiqlDefaultQuery = `# Welcome to authgraph.
#
# 1. Run "Register" to create an account.
# 2. Run "Login" and copy accessToken from the answer.
# 3. Open the Headers tab below and paste:
#      { "Authorization": "Bearer <accessToken>" }
# 4. Run "Whoami".

mutation Register {
  register(input: { username: "ada", email: "ada@example.com", password: "correct horse battery" }) {
    id
    username
  }
}

mutation Login {
  login(input: { username: "ada", password: "correct horse battery" }) {
    accessToken
    expiresIn
    refreshToken
  }
}

query Whoami {
  whoami {
    user { username email }
    credential { kind id name }
  }
}
`;
